#!/usr/bin/env bash
# Run by the release workflow inside the Android emulator (reactivecircus/android-emulator-runner), from this
# folder, with TOKENSMITH_MAVEN_REPO pointing at the AAR: the instrumented tests (debug build), then the release
# build (R8 with the AAR's consumer rules) installed and started, its screen's state read from Logcat.
set -euo pipefail
gradle --no-daemon -q connectedDebugAndroidTest -Pandroid.testInstrumentationRunnerArguments.tlsProbe=true
adb install -r app/build/outputs/apk/release/app-release.apk
adb logcat -c
adb shell am start -W -n dev.tokensmith.example/.MainActivity
state=""
for _ in $(seq 30); do
  state="$(adb logcat -d -v raw -s tokensmith-example:I | grep 'state: Failed\|state: Quota' || true)"
  [ -n "$state" ] && break
  sleep 1
done
echo "$state"
! adb logcat -d | grep -q "FATAL EXCEPTION" || { adb logcat -d | grep -A30 "FATAL EXCEPTION"; exit 1; }
# No key is configured in CI: the client refuses the empty key before any request, through the minified bindings.
grep -q "state: Failed(kind=InvalidInput" <<<"$state"
echo "ok: the minified release build started, built a client and showed its state"
