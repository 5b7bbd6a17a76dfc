import type { ComponentChildren } from 'preact';

export interface Column {
  readonly header: string;
  // Figures line up on the right, as in a ledger.
  readonly numeric?: boolean;
}

export function DataTable(props: {
  readonly caption: string;
  readonly columns: readonly Column[];
  readonly rows: readonly (readonly string[])[];
  readonly total?: readonly string[];
  readonly empty: string;
}) {
  const { caption, columns, rows, total, empty } = props;
  if (rows.length === 0) return <p class="empty">{empty}</p>;
  const cell = (text: string, index: number) =>
    columns[index]?.numeric === true ? <td class="num">{text}</td> : <td>{text}</td>;
  return (
    <table>
      <caption class="visually-hidden">{caption}</caption>
      <thead>
        <tr>
          {columns.map((column) => (
            <th scope="col" class={column.numeric === true ? 'num' : undefined}>
              {column.header}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr>{row.map(cell)}</tr>
        ))}
      </tbody>
      {total !== undefined && (
        <tfoot>
          <tr>{total.map(cell)}</tr>
        </tfoot>
      )}
    </table>
  );
}

// What Chart.js draws: plain data, no functions, so it travels as JSON.
// Amounts stay decimal strings here; Chart.js reads them as numbers in the
// browser, where a chart's bar is only ever approximate.
export interface ChartData {
  readonly type: 'bar' | 'doughnut';
  readonly labels: readonly string[];
  readonly datasets: readonly { readonly label: string; readonly data: readonly (number | string | null)[] }[];
  // Bars lying down, for long labels (provinces, indicators).
  readonly horizontal?: boolean;
  // Values are percents: the axis says so.
  readonly percent?: boolean;
}

// The chart's data sits in a JSON block that no browser runs, read by
// glance.js from our own origin: the Content-Security-Policy allows no
// inline script. The table beside it holds the same figures for everyone,
// screen readers included, so the canvas is labelled as a picture of it.
export function ChartFigure(props: {
  readonly id: string;
  readonly title: string;
  readonly label: string;
  readonly chart: ChartData | null;
  // Long labels and several columns: the figure takes the page's whole width.
  readonly wide?: boolean;
  readonly children: ComponentChildren;
}) {
  const { id, title, label, chart, wide = false, children } = props;
  return (
    <section class={wide ? 'figure wide' : 'figure'} aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{title}</h2>
      <div class="figure-body">
        {/* A wide table scrolls sideways on a narrow screen: focusable, so a keyboard can scroll it too. */}
        <div class="figure-table" tabIndex={0}>
          {children}
        </div>
        {chart !== null && (
          <div class="figure-chart">
            <canvas id={`${id}-chart`} data-chart={`${id}-data`} role="img" aria-label={label} />
            <script type="application/json" id={`${id}-data`} dangerouslySetInnerHTML={{ __html: jsonForHtml(chart) }} />
          </div>
        )}
      </div>
    </section>
  );
}

// JSON inside an HTML element: "</script>" or "<!--" in a name must not end it.
function jsonForHtml(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026');
}

export function Notice({ kind, children }: { readonly kind: 'error' | 'info'; readonly children: ComponentChildren }) {
  return kind === 'error' ? (
    <div class="notice error" role="alert">
      {children}
    </div>
  ) : (
    <div class="notice info" role="status">
      {children}
    </div>
  );
}

// A form that changes something: posted with the session's CSRF token,
// which the console refuses a form without.
export function PostForm(props: {
  readonly action: string;
  readonly csrfToken: string;
  readonly submit: string;
  readonly children: ComponentChildren;
}) {
  return (
    <form method="post" action={props.action} class="stacked">
      <input type="hidden" name="_csrf" value={props.csrfToken} />
      {props.children}
      <button type="submit">{props.submit}</button>
    </form>
  );
}

// A labelled field, with a hint read out with it when there is one.
export function Field(props: {
  readonly id: string;
  readonly name: string;
  readonly label: string;
  readonly type: 'text' | 'password';
  readonly autocomplete: string;
  readonly value?: string;
  readonly minLength?: number;
  readonly autofocus?: boolean;
  readonly hint?: string;
}) {
  const { id, label, hint, type, ...input } = props;
  const attributes = { id, ...input, required: true, 'aria-describedby': hint === undefined ? undefined : `${id}-hint` };
  return (
    <>
      <label for={id}>{label}</label>
      {/* Preact types an input by its type: a password field is told apart from a text one. */}
      {type === 'password' ? <input type="password" {...attributes} /> : <input type="text" {...attributes} />}
      {hint !== undefined && (
        <p id={`${id}-hint`} class="hint">
          {hint}
        </p>
      )}
    </>
  );
}

// A table as DataTable draws it, whose cells may hold links.
export function LinkedTable(props: {
  readonly caption: string;
  readonly columns: readonly Column[];
  readonly rows: readonly (readonly ComponentChildren[])[];
  readonly empty: string;
}) {
  const { caption, columns, rows, empty } = props;
  if (rows.length === 0) return <p class="empty">{empty}</p>;
  const numeric = (index: number) => (columns[index]?.numeric === true ? 'num' : undefined);
  return (
    <table>
      <caption class="visually-hidden">{caption}</caption>
      <thead>
        <tr>
          {columns.map((column, index) => (
            <th scope="col" class={numeric(index)}>
              {column.header}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr>
            {row.map((cell, index) => (
              <td class={numeric(index)}>{cell}</td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
