// Installs Debian's Chromium for the browser tests when it is missing (CI starts on a fresh machine).
const { execSync } = require('node:child_process');
const fs = require('node:fs');

if (!fs.existsSync('/usr/bin/chromium')) {
  if (process.getuid && process.getuid() !== 0) {
    console.error('Chromium is missing and this user cannot install it: apt-get install -y chromium');
    process.exit(1);
  }
  console.log('Installing Chromium from Debian packages for the browser tests...');
  execSync('apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null', { stdio: 'inherit', shell: '/bin/bash' });
}
