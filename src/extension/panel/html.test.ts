import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { contentSecurityPolicy, escapeHtml, galleryHtml } from './html.js';

describe('gallery page: CSP and escaping', () => {
  const html = galleryHtml({
    cspSource: 'https://*.vscode-cdn.net',
    nonce: 'abc123',
    scriptUri: 'https://x/dist/webview.js',
    styleUri: 'https://x/media/gallery.css',
    title: 'Duplicates: <b>"x"</b>',
  });

  it("denies everything by default and allows scripts only with the page's nonce", () => {
    const csp = contentSecurityPolicy('https://src', 'N0NCE');
    assert.match(csp, /^default-src 'none'; /);
    assert.match(csp, /script-src 'nonce-N0NCE'/);
    assert.match(csp, /img-src https:\/\/src/);
    assert.match(csp, /media-src https:\/\/src/);
    assert.match(csp, /style-src https:\/\/src(;|$)/);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval|\*;/);
  });

  it('carries the nonce on its only script and has no inline script or style', () => {
    assert.equal(html.match(/<script/g)?.length, 1);
    assert.match(html, /<script nonce="abc123" src="https:\/\/x\/dist\/webview.js"><\/script>/);
    assert.doesNotMatch(html, /<style|style=|onload=|onerror=/);
  });

  it('escapes what it interpolates', () => {
    assert.match(html, /<title>Duplicates: &lt;b&gt;&quot;x&quot;&lt;\/b&gt;<\/title>/);
    assert.equal(escapeHtml(`<img src=x onerror='a'>&`), '&lt;img src=x onerror=&#39;a&#39;&gt;&amp;');
  });
});
