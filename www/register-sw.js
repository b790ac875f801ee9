// Registers the service worker that keeps the app for offline use. External, not
// inline, so the page's Content-Security-Policy needs no exception for it.
"use strict";

if ("serviceWorker" in navigator) {
  navigator.serviceWorker.register("./sw.js").catch((error) => {
    console.warn(`loglens works online only here: ${error}`);
  });
}
