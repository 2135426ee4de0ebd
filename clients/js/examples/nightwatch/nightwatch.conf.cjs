// Nightwatch on Debian's Chromium and chromedriver (apt-get install -y chromium chromium-driver).
module.exports = {
  src_folders: ['tests'],
  custom_commands_path: ['commands'],
  globals_path: 'globals.cjs',
  webdriver: {
    start_process: true,
    server_path: process.env.CHROMEDRIVER ?? '/usr/bin/chromedriver',
    // participants run side by side on one machine: give each its own chromedriver port
    port: Number(process.env.CHROMEDRIVER_PORT ?? 9515),
  },
  test_settings: {
    default: {
      desiredCapabilities: {
        browserName: 'chrome',
        'goog:chromeOptions': {
          binary: process.env.CHROMIUM ?? '/usr/bin/chromium',
          args: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
            '--disable-component-update', '--disable-sync', '--no-first-run'],
        },
      },
    },
  },
};
