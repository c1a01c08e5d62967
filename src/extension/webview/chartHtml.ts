// The HTML shell of the chart webviews (Plots, Metric History): a strict CSP, one nonce'd
// script from dist/webview, one stylesheet from media/. No data is in the markup; everything
// arrives by postMessage. Chart.js draws on canvas and sizes it through the CSSOM (element.style),
// which `style-src` does not restrict; only the Plots page lets `data:` images in.
// Pure (no vscode import), tested in Node.
import { makeNonce, webviewShell } from './html';

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

export function buildChartHtml(inputs: ChartHtmlInputs): string {
  if (/[;"\r\n<>]/.test(inputs.cspSource)) throw new Error('unexpected characters in cspSource');
  return webviewShell(inputs, inputs.title, chartContentSecurityPolicy(inputs.cspSource, inputs.nonce, inputs.dataImages));
}
