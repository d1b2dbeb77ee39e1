// One session per token and page: every <tandem-referral> with the same
// token shares its requests, data and timers, so that mounting, removing
// and re-adding elements (an SPA's navigation) never repeats a request or
// adds a listener.
import { ApiError, request } from "./api.js";

const expiringLead = 5 * 60 * 1000; // tandem:token-expiring, before expiry
const maxBackoff = 30 * 1000;
const maxAutoRetries = 6;

const sessions = new Map();

// sessionFor returns the page's session for token on the server at base.
export function sessionFor(base, token, pollSeconds, key) {
  const id = base + " " + token;
  let s = sessions.get(id);
  if (!s) {
    s = new Session(base, token, pollSeconds, key);
    sessions.set(id, s);
  }
  return s;
}

// Pages hidden in a background tab do not poll; coming back refreshes.
let visibilityWatched = false;
function watchVisibility() {
  if (visibilityWatched) return;
  visibilityWatched = true;
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState !== "visible") return;
    for (const s of sessions.values()) if (s.views.size && s.state === "ready") s.refresh();
  });
}

class Session {
  constructor(base, token, pollSeconds, key) {
    this.base = base;
    this.token = token;
    // The publishable key asks whether this page's origin is allowed, when
    // the browser hides the server's answers (checkOrigin).
    this.key = key || "";
    this.originChecked = false;
    this.refusal = null;
    this.pollMs = Math.max(5, pollSeconds || 60) * 1000;
    this.views = new Set();
    // loading → ready | expired | denied | offline; offline retries.
    this.state = "loading";
    this.error = null;
    this.me = null;
    this.guests = [];
    this.guestsMore = false;
    this.rewards = [];
    this.rewardsMore = false;
    this.loaded = false;
    this.inflight = null;
    this.attempt = 0;
    this.retryAt = 0;
    this.timers = {};
    this.expiringSent = false;
  }

  subscribe(view) {
    this.views.add(view);
    watchVisibility();
    if (!this.loaded && !this.inflight && this.state === "loading") this.load();
    else view.update(this);
    this.startPolling();
  }

  unsubscribe(view) {
    this.views.delete(view);
    if (!this.views.size) this.clear("poll");
  }

  notify() {
    for (const v of this.views) v.update(this);
  }

  emit(type, detail) {
    for (const v of this.views) v.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true }));
  }

  clear(name) {
    clearTimeout(this.timers[name]);
    clearInterval(this.timers[name]);
    delete this.timers[name];
  }

  startPolling() {
    if (this.timers.poll || !this.views.size) return;
    this.timers.poll = setInterval(() => {
      if (document.visibilityState === "visible" && this.state === "ready") this.refresh();
    }, this.pollMs);
  }

  api(path, options) {
    return request(this.base, path, { token: this.token, ...options });
  }

  // load reads everything the widget shows; concurrent calls share one
  // round of requests.
  load() {
    if (this.inflight) return this.inflight;
    this.clear("retry");
    this.inflight = Promise.all([this.api("/widget/v1/me"), this.api("/widget/v1/invitations"), this.api("/widget/v1/rewards")])
      .then(([me, guests, rewards]) => {
        this.me = me;
        this.guests = guests.data;
        this.guestsMore = guests.has_more;
        this.rewards = rewards.data;
        this.rewardsMore = rewards.has_more;
        this.loaded = true;
        this.state = "ready";
        this.error = null;
        this.attempt = 0;
        this.scheduleExpiry(Date.parse(me.expires_at));
      })
      .catch((e) => this.fail(e))
      .finally(() => {
        this.inflight = null;
        this.notify();
      });
    return this.inflight;
  }

  refresh() {
    if (this.state === "expired" || this.state === "denied" || this.state === "refused") return Promise.resolve();
    return this.load();
  }

  // retry is the "Try again" button: a fresh round of automatic retries.
  retry() {
    this.attempt = 0;
    this.state = this.loaded ? this.state : "loading";
    this.notify();
    return this.load();
  }

  fail(e) {
    const err = e instanceof ApiError ? e : new ApiError("network_error", String(e));
    this.error = err;
    this.emit("tandem:error", { code: err.code, message: err.message });
    if (err.code === "token_expired") {
      this.expire();
      return;
    }
    if (err.code === "network_error" && this.key && !this.originChecked) {
      this.originChecked = true;
      this.checkOrigin();
    }
    if (err.code === "network_error" || err.status >= 500 || err.status === 429) {
      this.state = "offline";
      if (this.attempt < maxAutoRetries) {
        const wait = Math.min(maxBackoff, 1000 * 2 ** this.attempt);
        this.attempt++;
        this.retryAt = Date.now() + wait;
        this.timers.retry = setTimeout(() => this.load(), wait);
      } else {
        this.retryAt = 0;
      }
      return;
    }
    this.state = "denied"; // token_invalid, origin refused, …: retrying cannot help
  }

  // checkOrigin asks, once, whether a network failure is in fact the
  // browser hiding a refused origin's answers; a refused origin is said in
  // the widget and in the browser's console, with the setting that lifts
  // it, and no longer retried.
  async checkOrigin() {
    let verdict = null;
    try {
      verdict = await request(this.base, "/widget/v1/origin", { key: this.key });
    } catch (e) {
      return; // the server is unreachable after all: keep retrying
    }
    if (!verdict || verdict.allowed !== false) return;
    this.refusal = verdict;
    this.state = "refused";
    this.clear("retry");
    this.retryAt = 0;
    const message =
      "Tandem widget: this page's origin " + verdict.origin + " is not among the allowed origins of the publishable key's tenant. Add it in " + verdict.setting + ".";
    console.error(message);
    this.emit("tandem:error", { code: "origin_not_allowed", message });
    this.notify();
  }

  expire() {
    this.state = "expired";
    this.clear("expiring");
    this.clear("expiry");
    this.clear("retry");
    this.clear("poll");
  }

  scheduleExpiry(expiresAt) {
    if (!expiresAt) return;
    this.clear("expiring");
    this.clear("expiry");
    const now = Date.now();
    if (!this.expiringSent) {
      const warn = () => {
        this.expiringSent = true;
        this.emit("tandem:token-expiring", { expiresAt: new Date(expiresAt).toISOString() });
      };
      this.timers.expiring = setTimeout(warn, Math.max(0, expiresAt - expiringLead - now));
    }
    this.timers.expiry = setTimeout(() => {
      this.expire();
      this.error = new ApiError("token_expired");
      this.emit("tandem:error", { code: "token_expired", message: "The token has expired." });
      this.notify();
    }, Math.max(0, expiresAt - now));
  }

  // more reads the next page of guests or rewards.
  async more(list) {
    const items = list === "guests" ? this.guests : this.rewards;
    const path = list === "guests" ? "/widget/v1/invitations" : "/widget/v1/rewards";
    try {
      const page = await this.api(path + "?after=" + encodeURIComponent(items[items.length - 1].id));
      if (list === "guests") {
        this.guests = this.guests.concat(page.data);
        this.guestsMore = page.has_more;
      } else {
        this.rewards = this.rewards.concat(page.data);
        this.rewardsMore = page.has_more;
      }
    } catch (e) {
      this.fail(e);
    }
    this.notify();
  }

  // invite creates an invitation (invitation campaigns) and returns it.
  async invite(recipient) {
    // What the host typed is a label only they see: an address, or a name.
    const channel = recipient.includes("@") ? "email" : "link";
    const inv = await this.api("/widget/v1/invitations", { method: "POST", body: { channel, recipient } });
    this.load();
    return inv;
  }
}
