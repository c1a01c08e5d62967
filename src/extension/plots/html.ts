// The HTML shell of the chart webviews (Plots, Metric History): a strict CSP, one nonce'd
// script from dist/webview, one stylesheet from media/. No data is in the markup; everything
// arrives by postMessage. Chart.js draws on canvas and sizes it through the CSSOM (element.style),
// which `style-src` does not restrict; only the Plots page lets `data:` images in.
// Pure (no vscode import), tested in Node.
import { makeNonce } from '../metricDiff/html';

export { makeNonce };

export interface ChartHtmlInputs {
  cspSource: string;
  scriptUri: string;
  styleUri: string;
  nonce: string;
  title: string;
  /** Allow `img-src data:` (plot images and nothing else). */
  dataImages: boolean;
}

export function chartContentSecurityPolicy(cspSource: string, nonce: string, dataImages: boolean): string {
  return `default-src 'none'; script-src 'nonce-${nonce}'; style-src ${cspSource} 'nonce-${nonce}'; img-src ${dataImages ? 'data:' : "'none'"}`;
}

function attr(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function buildChartHtml(inputs: ChartHtmlInputs): string {
  if (!/^[A-Za-z0-9+/=_-]{32,}$/.test(inputs.nonce)) throw new Error('nonce must be 32+ base64/alphanumeric characters');
  if (/[;"\r\n<>]/.test(inputs.cspSource)) throw new Error('unexpected characters in cspSource');
  const csp = chartContentSecurityPolicy(inputs.cspSource, inputs.nonce, inputs.dataImages);
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${attr(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${attr(inputs.styleUri)}">
<title>${attr(inputs.title)}</title>
</head>
<body>
<div id="app" class="app"></div>
<script nonce="${attr(inputs.nonce)}" src="${attr(inputs.scriptUri)}"></script>
</body>
</html>
`;
}
