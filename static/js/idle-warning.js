// The warning before the idle sign-out (templates/review/_idle_warning.html).
// The server says how many seconds are left; shortly before the end this
// shows the warning with "Stay signed in", which posts the form in the
// background (so nothing typed on the page is touched) and starts the clock
// again with the server's answer. When the time is up it says so, with a
// link to sign in again; keep-draft.js keeps what was typed. Without
// JavaScript the warning stays hidden and the pages work as before.
(() => {
  const box = document.getElementById("idle-warning");
  if (!box || !window.fetch) return;
  const form = box.querySelector("form");
  const warnBefore = Number(box.dataset.warnBefore) * 1000;
  let timers = [];

  const show = (state) => {
    box.hidden = state === "none";
    box.querySelectorAll("[data-when]").forEach((part) => {
      part.hidden = part.dataset.when !== state;
    });
  };

  const plan = (secondsLeft) => {
    timers.forEach(clearTimeout);
    const left = secondsLeft * 1000;
    show("none");
    timers = [
      setTimeout(() => show("warning"), Math.max(0, left - warnBefore)),
      // A second late: the server signs out once the limit is passed.
      setTimeout(() => show("signed-out"), left + 1000),
    ];
  };

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    let response;
    try {
      response = await fetch(form.action, {
        method: "POST",
        // As a browser sends a form: the site refuses multipart bodies.
        body: new URLSearchParams(new FormData(form)),
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      });
    } catch {
      return; // offline for a moment: the warning stays, try again
    }
    if (response.ok) {
      plan((await response.json()).seconds_left);
    } else if (response.status === 401) {
      timers.forEach(clearTimeout);
      show("signed-out");
    }
  });

  plan(Number(box.dataset.secondsLeft));
})();
