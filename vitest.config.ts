import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Integration tests each start their own embedded stack on random loopback ports.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // The SDK's Node 22 notice, once per test file, buries real warnings in CI output.
    setupFiles: ['bin/quiet-sdk-warning.js'],
  },
});
