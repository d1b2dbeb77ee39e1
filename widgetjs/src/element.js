// <tandem-referral token="…" locale="en|fr" poll-seconds="60">: a host's
// link, code and QR code, their guests' progress and their rewards, in a
// shadow root. Without a token, with campaign="slug" and the script's
// data-key, it shows the guest offer to a visitor who arrived with a code.
import { request } from "./api.js";
import { stepName, tenantText, translated, translator } from "./i18n.js";
import { drawQR } from "./qr.js";
import { referralCode } from "./ref.js";
import { sessionFor } from "./session.js";
import { styleSheet } from "./styles.js";

// el builds an element: attributes (class, part, …), then children
// (strings become text: nothing is ever parsed as HTML).
function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === false || v == null) continue;
    if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v === true ? "" : String(v));
  }
  e.append(...children.filter((c) => c != null && c !== false));
  return e;
}

let ids = 0;

export function defineElement(config) {
  class TandemReferral extends HTMLElement {
    static get observedAttributes() {
      return ["token", "locale", "campaign"];
    }

    constructor() {
      super();
      this.uid = "t" + ++ids;
      this.root = this.attachShadow({ mode: "open" });
      // The tenant's accent goes in a sheet of this widget's own
      // (renderBrand), not in a style attribute on the partner's element.
      this.brandSheet = new CSSStyleSheet();
      this.root.adoptedStyleSheets = [styleSheet(), this.brandSheet];
      this.session = null;
      this.built = false;
    }

    get token() {
      return this.getAttribute("token") || "";
    }
    set token(v) {
      if (v) this.setAttribute("token", v);
      else this.removeAttribute("token");
    }

    connectedCallback() {
      this.connected = true;
      this.attach();
    }
    disconnectedCallback() {
      this.connected = false;
      this.detach();
    }
    attributeChangedCallback(name, oldValue, newValue) {
      // An element upgraded in the page gets its attributes here before
      // connectedCallback, which attaches it once.
      if (!this.connected || !this.isConnected || oldValue === newValue) return;
      if (name === "locale") {
        this.built = false;
        this.render();
        return;
      }
      this.detach();
      this.attach();
    }

    // refresh reads the widget's data again now.
    refresh() {
      return this.session ? this.session.refresh() : Promise.resolve();
    }

    attach() {
      if (this.token) {
        this.session = sessionFor(config.base, this.token, Number(this.getAttribute("poll-seconds")) || 0, config.key);
        this.session.subscribe(this);
      } else {
        this.showOffer();
      }
    }
    detach() {
      if (this.session) this.session.unsubscribe(this);
      this.session = null;
    }

    update(session) {
      if (session === this.session) this.render();
    }

    build() {
      const { t, lang } = translator(this.getAttribute("locale"));
      this.t = t;
      this.lang = lang;
      const id = (name) => this.uid + "-" + name;
      this.status = el("div", { class: "status", role: "status", "aria-live": "polite", part: "status" });
      this.shareBox = el("div", { class: "share" });
      this.inviteResult = el("div", { class: "row", "aria-live": "polite" });
      this.inviteInput = el("input", { id: id("email"), type: "text", required: true, maxlength: 254, autocomplete: "off", part: "input" });
      this.inviteForm = el(
        "form",
        { class: "invite", onsubmit: (e) => this.submitInvite(e) },
        el("label", { for: id("email") }, t("inviteLabel")),
        el("div", { class: "row" }, this.inviteInput, el("button", { type: "submit", part: "button" }, t("invite"))),
        this.inviteResult,
      );
      this.guestList = el("ol", { class: "guests", "aria-labelledby": id("friends") });
      this.rewardList = el("ul", { class: "rewards", "aria-labelledby": id("rewards") });
      this.moreGuests = el("button", { type: "button", class: "secondary", part: "button", onclick: () => this.session && this.session.more("guests") }, t("more"));
      this.moreRewards = el("button", { type: "button", class: "secondary", part: "button", onclick: () => this.session && this.session.more("rewards") }, t("more"));
      this.heading = el("h2", { id: id("title"), part: "title" }, t("title"));
      this.subtitle = el("p", { class: "sub" });
      this.brand = el("p", { class: "brand", part: "brand" });
      this.earnings = el("div", { class: "earnings", part: "earnings", "aria-labelledby": id("earn") });
      this.earningsTitle = el("h3", { id: id("earn") }, t("earnTitle"));
      this.body = el(
        "div",
        { class: "body" },
        this.shareBox,
        this.inviteForm,
        this.earningsTitle,
        this.earnings,
        el("h3", { id: id("friends") }, t("friends")),
        this.guestList,
        this.moreGuests,
        el("h3", { id: id("rewards") }, t("rewards")),
        this.rewardList,
        this.moreRewards,
      );
      this.root.replaceChildren(
        el("section", { class: "w", part: "container", lang, "aria-labelledby": id("title") }, this.brand, this.heading, this.subtitle, this.status, this.body),
      );
      this.built = true;
    }

    render() {
      if (!this.built) this.build();
      const s = this.session;
      if (!s) return;
      this.renderStatus(s);
      const me = s.loaded ? s.me : null;
      this.body.hidden = !me || s.state === "expired" || s.state === "denied" || s.state === "refused";
      if (!me) return;
      this.subtitle.textContent = translated(me.translations, this.lang, "campaign_name", me.campaign.name);
      this.renderBrand(me.branding);
      this.renderEarnings(me.earnings, me.translations);
      this.shareBox.replaceChildren(...this.shareItems(me, me.code, me.url, me.qr));
      this.inviteForm.hidden = !(me.campaign.mode === "invitation" && me.campaign.status === "active");
      const empty = noFriendsKey(me.campaign);
      this.guestList.replaceChildren(
        ...(s.guests.length ? s.guests.map((g) => this.guestItem(g, me.translations)) : [this.emptyItem(me.texts, empty, { "data-empty": empty })]),
      );
      this.moreGuests.hidden = !s.guestsMore;
      this.rewardList.replaceChildren(
        ...(s.rewards.length ? s.rewards.map((r) => this.rewardItem(r, me.translations)) : [this.emptyItem(me.texts, "noRewards", {})]),
      );
      this.moreRewards.hidden = !s.rewardsMore;
    }

    // emptyItem is an empty list's line: the tenant's text for it, in the
    // widget's language or its default one (saying which, when that is
    // another), or the widget's own words.
    emptyItem(texts, key, attrs) {
      const own = tenantEmptyTexts[key] && tenantText(texts, this.lang, tenantEmptyTexts[key]);
      const lang = own && own.lang !== this.lang ? own.lang : null;
      return el("li", { class: "muted", lang, ...attrs }, own ? own.text : this.t(key));
    }

    renderStatus(s) {
      const t = this.t;
      let text = "";
      let action = null;
      const campaign = s.loaded && s.me ? s.me.campaign.status : "";
      switch (s.state) {
        case "loading":
          text = t("loading");
          break;
        case "expired":
          text = t("tokenExpired");
          break;
        case "denied":
          text = t("tokenInvalid");
          break;
        case "refused":
          text = t("originRefused", { origin: s.refusal.origin, setting: s.refusal.setting });
          break;
        case "offline": {
          text = t("network") + (s.retryAt ? " " + t("retrying") : "");
          action = el("button", { type: "button", class: "secondary", part: "button retry", onclick: () => s.retry() }, t("tryAgain"));
          break;
        }
        default:
          if (campaign === "ended") text = t("ended");
          else if (campaign === "paused") text = t("paused");
      }
      this.status.className = "status" + (["expired", "denied", "offline", "refused"].includes(s.state) ? " error" : "");
      this.status.dataset.state = campaign === "ended" && s.state === "ready" ? "ended" : s.state;
      this.status.replaceChildren(...(text ? [el("span", {}, text)] : []), ...(action ? [" ", action] : []));
    }

    shareItems(me, code, url, qr) {
      const t = this.t;
      if (!url) return [];
      const id = this.uid + "-link";
      const link = el("input", { id, value: url, readonly: true, part: "input link" });
      const copyLink = el("button", { type: "button", part: "button" }, t("copyLink"));
      copyLink.addEventListener("click", this.copier(url, copyLink, () => link.select()));
      const items = [el("label", { for: id }, t("yourLink")), el("div", { class: "row" }, link, copyLink)];
      if (code) {
        const copyCode = el("button", { type: "button", class: "secondary", part: "button" }, t("copyCode"));
        copyCode.addEventListener("click", this.copier(code, copyCode, () => link.select()));
        items.push(el("span", { class: "label" }, t("yourCode")), el("div", { class: "row" }, el("code", { part: "code" }, code), copyCode));
      }
      if (navigator.share) {
        items.push(
          el(
            "button",
            {
              type: "button",
              class: "secondary",
              part: "button share",
              onclick: () => navigator.share({ url, text: t("shareText", { campaign: translated(me.translations, this.lang, "campaign_name", me.campaign.name) }) }).catch(() => {}),
            },
            t("share"),
          ),
        );
      }
      if (qr) items.push(drawQR(qr, t("qr")));
      return items;
    }

    // copier copies value to the clipboard and says so; when the browser
    // refuses, fallback selects something for the person to copy by hand.
    copier(value, button, fallback) {
      return async () => {
        try {
          await navigator.clipboard.writeText(value);
        } catch (e) {
          fallback();
        }
        this.status.replaceChildren(el("span", {}, this.t("copied")));
        button.focus();
      };
    }

    guestItem(g, translations) {
      const t = this.t;
      const bars = el("div", { class: "steps", "aria-hidden": "true" });
      for (let i = 0; i < g.steps; i++) bars.append(el("span", { class: i < g.step ? "done" : "" }));
      const label = g.completed ? t("completed") : t(g.status);
      let detail = "";
      if (g.status === "claimed" || g.completed) {
        detail = t("step", { done: g.step, total: g.steps });
        // The tenant's label for the step (translated), else its event
        // name in words.
        if (!g.completed && g.next_step) {
          const step = g.next_step_label ? translated(translations, this.lang, "step_label", g.next_step_label) : stepName(g.next_step);
          detail += " · " + t("next", { step });
        }
      }
      return el(
        "li",
        { class: "guest", part: "guest", "data-status": g.status },
        el("div", { class: "head" }, el("span", { class: "name" }, g.guest || t("friendN", { n: g.number })), el("span", { class: "badge " + g.status }, label)),
        g.status === "claimed" || g.completed ? bars : null,
        detail ? el("p", { class: "muted progress" }, detail) : null,
      );
    }

    // renderBrand shows the tenant's logo and name above the widget, and
    // makes its accent the widget's unless the partner's page sets one
    // (--tandem-accent). The accent is checked as #rrggbb before it joins
    // the brand sheet's text.
    renderBrand(b) {
      b = b || {};
      const logo = b.logo_url ? el("img", { src: b.logo_url, alt: "", class: "logo", part: "logo" }) : null;
      this.brand.replaceChildren(...[logo, b.sender_name ? el("span", {}, b.sender_name) : null].filter(Boolean));
      this.brand.hidden = !logo && !b.sender_name;
      const accent = /^#[0-9a-f]{6}$/.test(b.accent_color || "") ? b.accent_color : "";
      this.brandSheet.replaceSync(accent
        ? `:host { --tandem-brand-accent: ${accent}; --tandem-brand-on-accent: ${inkOn(accent)}; }`
        : "");
    }

    // renderEarnings tells the host what a referral earns: the reward
    // table's rows, and what the next completed referral pays.
    renderEarnings(e, translations) {
      const t = this.t;
      const reward = (description) => translated(translations, this.lang, "reward_description", description);
      const rows = (e && e.milestones) || [];
      this.earningsTitle.hidden = this.earnings.hidden = !rows.length;
      if (!rows.length) return;
      const items = rows.map((m, i) =>
        el("li", {}, t(e.repeat_last && i === rows.length - 1 ? "earnRowRepeat" : "earnRow", { count: m.count, reward: reward(m.reward) })),
      );
      this.earnings.replaceChildren(
        el("ul", { class: "milestones" }, ...items),
        el("p", { class: "next", "data-next": e.next ? e.next.count : "" }, e.next ? t("earnNext", { reward: reward(e.next.reward) }) : t("earnDone")),
        // replaceChildren writes a null as the text "null".
        ...(e.completed ? [el("p", { class: "muted" }, t("earnCompleted", { n: e.completed }))] : []),
      );
    }

    rewardItem(r, translations) {
      const t = this.t;
      const key = r.status === "expired" ? "rewardExpired" : r.status;
      return el(
        "li",
        { class: "reward", part: "reward", "data-status": r.status },
        el("div", { class: "head" }, el("span", {}, translated(translations, this.lang, "reward_description", r.description)), el("span", { class: "badge " + r.status }, t(key))),
        r.kind === "stripe_coupon" && r.status === "issued" ? this.promotionCode(r.code) : null,
        r.status === "held" ? el("p", { class: "muted", part: "held-note" }, t("heldNote")) : null,
      );
    }

    // promotionCode is what a host redeems for a Stripe coupon: the code
    // once Tandem has made it in Stripe, until then word that it is coming
    // (the session's polling brings it).
    promotionCode(code) {
      const t = this.t;
      if (!code) return el("p", { class: "muted", part: "promotion-code pending" }, t("codePending"));
      const shown = el("code", { part: "code promotion-code" }, code);
      const copy = el("button", { type: "button", class: "secondary", part: "button" }, t("copyCode"));
      copy.addEventListener("click", this.copier(code, copy, () => window.getSelection().selectAllChildren(shown)));
      return el("div", { class: "row" }, el("span", { class: "muted" }, t("promotionCode")), shown, copy);
    }

    async submitInvite(e) {
      e.preventDefault();
      if (!this.session || !this.inviteInput.value) return;
      try {
        const inv = await this.session.invite(this.inviteInput.value);
        this.inviteInput.value = "";
        const id = this.uid + "-invited";
        this.inviteResult.replaceChildren(
          el("label", { for: id }, this.t("invited")),
          el("input", { id, value: inv.url, readonly: true, part: "input link" }),
        );
      } catch (err) {
        this.session.emit("tandem:error", { code: err.code, message: err.message });
        this.inviteResult.replaceChildren(el("span", { role: "alert" }, err.message || this.t("error")));
      }
    }

    // showOffer: a visitor with a captured code sees the campaign's guest
    // offer (publishable key, no token).
    async showOffer() {
      const campaign = this.getAttribute("campaign");
      if (!campaign || !config.key || !referralCode()) {
        this.root.replaceChildren();
        return;
      }
      const { t, lang } = translator(this.getAttribute("locale"));
      try {
        // With the code: a made-up, used or expired code is offered nothing.
        const path = "/widget/v1/offer?campaign=" + encodeURIComponent(campaign) + "&code=" + encodeURIComponent(referralCode());
        const offer = await request(config.base, path, { key: config.key });
        if (offer.status !== "active") return;
        // The tenant's words, else the widget's; the host named only when
        // the tenant allows it (host_name is empty otherwise).
        const vars = { reward: translated(offer.translations, lang, "reward_description", offer.guest_reward), host: offer.host_name };
        const own = tenantText(offer.texts, lang, "widget_offer", vars);
        const words = own ? own.text : t(offer.host_name ? "offerFrom" : "offer", vars);
        const p = el("p", { lang: own && own.lang !== lang ? own.lang : null }, words);
        this.root.replaceChildren(el("section", { class: "w", part: "container offer", lang }, p));
      } catch (err) {
        this.dispatchEvent(new CustomEvent("tandem:error", { detail: { code: err.code, message: err.message }, bubbles: true, composed: true }));
      }
    }
  }
  if (!customElements.get("tandem-referral")) customElements.define("tandem-referral", TandemReferral);
}

// tenantEmptyTexts names the tenant's text that replaces each empty
// state's own words; a closed campaign's stays the widget's.
const tenantEmptyTexts = {
  noFriends: "widget_no_friends_code",
  noFriendsInvite: "widget_no_friends_invitation",
  noRewards: "widget_no_rewards",
};

// noFriendsKey is the empty guest list's message for the campaign: share
// the link (referrer codes), invite by e-mail (invitations: there is no
// link until an invitation is made), or nothing to do once it is not running.
function noFriendsKey(campaign) {
  if (campaign.status !== "active") return "noFriendsClosed";
  return campaign.mode === "invitation" ? "noFriendsInvite" : "noFriends";
}

// inkOn is black or white, whichever contrasts more with the colour
// #rrggbb (WCAG's relative luminance), as the invite page chooses it.
function inkOn(color) {
  let lum = 0;
  [0.2126, 0.7152, 0.0722].forEach((w, i) => {
    let c = parseInt(color.slice(1 + 2 * i, 3 + 2 * i), 16) / 255;
    c = c <= 0.04045 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
    lum += w * c;
  });
  return (lum + 0.05) / 0.05 > 1.05 / (lum + 0.05) ? "#000000" : "#ffffff";
}
