// widget.js: <script src="{PUBLIC_URL}/widget.js" data-key="pk_…" async>.
// It defines <tandem-referral>, captures ?ref=CODE into a first-party
// cookie, and exposes window.Tandem. Loaded twice (an SPA, two snippets),
// it sets up once.
import { defineElement } from "./element.js";
import { captureRef, referralCode } from "./ref.js";

(function () {
  if (window.Tandem && window.Tandem.version) return;
  const script = document.currentScript || document.querySelector('script[src*="/widget"][data-key], script[src*="/widget"]');
  let base = "";
  try {
    base = new URL(script.src).origin;
  } catch (e) {
    base = location.origin;
  }
  const key = (script && script.dataset.key) || "";
  captureRef();
  window.Tandem = Object.freeze({ version: "1", referralCode });
  defineElement({ base, key });
})();
