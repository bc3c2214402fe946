import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // CLI tests run dist/: rebuilt here when older than src/.
    globalSetup: ["test/global-setup.ts"],
    // git started by tests (and by Steward under test) never reads the user's or the system's
    // config: a ~/.gitconfig with commit.gpgsign=true or aliases must not change any result.
    env: { GIT_CONFIG_GLOBAL: "/dev/null", GIT_CONFIG_NOSYSTEM: "1" },
  },
});
