// Headless Chromium for browser tests: Debian's /usr/bin/chromium (or $CHROMIUM) driven by
// playwright-core, with the flags this machine needs (closed network, root, no GPU).
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
export const CHROMIUM_FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync'];

/**
 * Runs `fn` with a fresh browser profile, closed (and its profile removed) after; skips the test
 * when Chromium is not installed.
 */
export async function withChromium(t: { skip(msg: string): void }, fn: (ctx: BrowserContext) => Promise<void>, viewport = { width: 1280, height: 900 }): Promise<void> {
  if (!existsSync(CHROMIUM)) { t.skip(`${CHROMIUM} is missing: install Debian's chromium package to run the browser test`); return; }
  const { chromium } = await import('playwright-core');
  const profile = await mkdtemp(join(tmpdir(), 'exstreamtv-chromium-'));
  const ctx = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: CHROMIUM_FLAGS, viewport });
  try { await fn(ctx); } finally {
    await ctx.close();
    await rm(profile, { recursive: true, force: true });
  }
}
