/**
 * The gallery page. Strict CSP: nothing loads unless it comes from the webview's own resource origin
 * (cspSource), and the one script runs only with this page's nonce. No inline styles or handlers exist,
 * so 'unsafe-inline' is never needed. Pure, so the policy is unit-tested.
 */
export interface GalleryHtmlInput {
  readonly cspSource: string;
  readonly nonce: string;
  readonly scriptUri: string;
  readonly styleUri: string;
  readonly title: string;
}

export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `img-src ${cspSource}`,
    `media-src ${cspSource}`,
    `style-src ${cspSource}`,
    `font-src ${cspSource}`,
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
}

/** Escapes text for an HTML attribute or element body (the only values interpolated below). */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

export function galleryHtml(i: GalleryHtmlInput): string {
  const e = escapeHtml;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${e(contentSecurityPolicy(i.cspSource, i.nonce))}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${e(i.styleUri)}">
<title>${e(i.title)}</title>
</head>
<body>
<div id="app" class="app" data-state="loading"><p class="loading">Loading the gallery…</p></div>
<script nonce="${e(i.nonce)}" src="${e(i.scriptUri)}"></script>
</body>
</html>`;
}
