// Runs the example on the system's Chromium (Debian's /usr/bin/chromium, or CHROMIUM): install
// with PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 so Playwright never downloads a browser of its own.
import { defineConfig } from '@playwright/test';

export default defineConfig({
  testDir: '.',
  testMatch: '*.spec.js',
  timeout: 120000,
  use: {
    browserName: 'chromium',
    launchOptions: {
      executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
        '--disable-sync', '--no-first-run'],
    },
  },
});
