import PDFDocument from 'pdfkit';

// A small PDF, drawn at once and handed back whole: a card or a letter is
// a few kilobytes, so streaming it to the client would buy nothing.
// Helvetica, a standard PDF font, covers the Latin letters Bahasa Indonesia
// is written in, and needs no font file shipped. The creation date is the
// decision's, so the same notice renders to the same bytes.
export function renderPdf(
  options: { size: [number, number] | string; margin: number; title: string; createdOn: string },
  draw: (doc: PDFKit.PDFDocument) => void,
): Promise<Buffer> {
  const doc = new PDFDocument({
    size: options.size,
    margin: options.margin,
    autoFirstPage: true,
    info: { Title: options.title, Creator: 'askesos-core', CreationDate: new Date(`${options.createdOn}T00:00:00Z`) },
  });
  const chunks: Buffer[] = [];
  return new Promise((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    try {
      draw(doc);
      doc.end();
    } catch (error) {
      reject(error instanceof Error ? error : new Error(String(error)));
    }
  });
}

export const millimetres = (mm: number): number => (mm * 72) / 25.4;
