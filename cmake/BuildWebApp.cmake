# cmake -DWEB_DIR=<web/> -DOUT_DIR=<dir> -DNPM=<npm> -DNODE=<node> -P cmake/BuildWebApp.cmake
# Installs web/'s pinned packages (npm ci) when the lock file is newer than web/node_modules, then
# bundles the app into OUT_DIR/app.js (+ .sha256) with web/scripts/build.mjs (esbuild, reproducible).
set(installed "${WEB_DIR}/node_modules/.package-lock.json")
if(NOT EXISTS "${installed}" OR "${WEB_DIR}/package-lock.json" IS_NEWER_THAN "${installed}")
  message(STATUS "web: npm ci (web/package-lock.json is newer than web/node_modules)")
  execute_process(COMMAND "${NPM}" ci --prefix "${WEB_DIR}" --no-audit --no-fund RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "npm ci in ${WEB_DIR} failed (${rc}); it needs the npm registry once, see README")
  endif()
endif()
execute_process(COMMAND "${NODE}" "${WEB_DIR}/scripts/build.mjs" "${OUT_DIR}" RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "bundling the web app failed (${rc})")
endif()
