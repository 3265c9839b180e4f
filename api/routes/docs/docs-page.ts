/**
 * A self-contained page that lists the API from its own OpenAPI document: no script or style from elsewhere,
 * since the product runs without network access.
 */
export const docsPage = `<!doctype html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Variation Atlas API</title>
<style>
  body { font-family: Arial, sans-serif; margin: 2rem auto; max-width: 72rem; color: #212b32; line-height: 1.5; padding: 0 1rem; }
  h1 { color: #005eb8; } h2 { border-top: 1px solid #d8dde0; padding-top: 1rem; }
  code { background: #f0f4f5; padding: 0.1rem 0.3rem; }
  table { border-collapse: collapse; width: 100%; margin: 0.5rem 0 1.5rem; }
  th, td { text-align: left; border-bottom: 1px solid #d8dde0; padding: 0.3rem 0.5rem; vertical-align: top; }
  .method { font-weight: bold; color: #007f3b; }
  /* Paths and schemas are long unbroken strings: they wrap anywhere rather than widen the page on a phone. */
  code, td { overflow-wrap: anywhere; }
  table { table-layout: fixed; }
  th:nth-child(1) { width: 24%; } th:nth-child(2) { width: 14%; } th:nth-child(3) { width: 20%; }
  @media (max-width: 40rem) { body { margin: 1rem auto; } th, td { padding: 0.3rem 0.25rem; font-size: 0.875rem; } }
</style>
</head>
<body>
<main>
<h1>Variation Atlas API</h1>
<p>The machine-readable description is <a href="openapi.json"><code>openapi.json</code></a> (OpenAPI 3.1). Every endpoint answers JSON; errors are <code>{ "error": { "code", "message", "parameter" } }</code>.</p>
<div id="paths"><p>Loading…</p></div>
</main>
<script>
fetch('openapi.json').then((response) => response.json()).then((document) => {
  const target = window.document.getElementById('paths');
  target.textContent = '';
  for (const [path, operations] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(operations)) {
      const section = window.document.createElement('section');
      const heading = window.document.createElement('h2');
      heading.innerHTML = '<span class="method"></span> <code></code>';
      heading.querySelector('.method').textContent = method.toUpperCase();
      heading.querySelector('code').textContent = path;
      section.append(heading);
      const summary = window.document.createElement('p');
      summary.textContent = operation.summary || '';
      section.append(summary);
      const parameters = operation.parameters || [];
      if (parameters.length) {
        const table = window.document.createElement('table');
        table.innerHTML = '<thead><tr><th scope="col">Parameter</th><th scope="col">In</th><th scope="col">Required</th><th scope="col">Schema</th></tr></thead><tbody></tbody>';
        for (const parameter of parameters) {
          const row = window.document.createElement('tr');
          for (const text of [parameter.name, parameter.in, parameter.required ? 'yes' : 'no', JSON.stringify(parameter.schema || {})]) {
            const cell = window.document.createElement('td');
            cell.textContent = text;
            row.append(cell);
          }
          table.querySelector('tbody').append(row);
        }
        section.append(table);
      }
      target.append(section);
    }
  }
});
</script>
</body>
</html>
`;
