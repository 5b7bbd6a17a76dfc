import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import express, { type Router } from 'express';

// Swagger UI served from our own node_modules: the docs page works on an
// air-gapped government network, and the CSP allows no third-party origin.
const swaggerUiDir = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));

const page = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>askesos-core API</title>
<link rel="stylesheet" href="/docs/assets/swagger-ui.css">
</head>
<body>
<div id="swagger-ui"></div>
<script src="/docs/assets/swagger-ui-bundle.js"></script>
<script src="/docs/init.js"></script>
</body>
</html>
`;

const initializer = `window.ui = SwaggerUIBundle({ url: '/openapi.json', dom_id: '#swagger-ui', deepLinking: true });\n`;

export function docsRouter(): Router {
  const router = express.Router();
  router.get('/docs', (_request, response) => {
    response.type('html').send(page);
  });
  router.get('/docs/init.js', (_request, response) => {
    response.type('application/javascript').send(initializer);
  });
  router.use('/docs/assets', express.static(swaggerUiDir, { index: false, fallthrough: true, maxAge: '1d' }));
  return router;
}
