// What a coordinator types in a request's note or call form is kept in this
// tab's sessionStorage as they type. Signed out while typing (the 30-minute
// idle limit), they sign in again, come back to the page and find the text
// put back. Forms opt in with data-keep-draft="<key>"; the page's success
// message carries data-draft-saved="<key>" once the text is saved, and the
// draft is then forgotten. Signing out forgets every draft of the tab.
(() => {
  const PREFIX = "draft:";
  let store;
  try {
    store = window.sessionStorage;
  } catch {
    return; // storage blocked: the forms work as before
  }
  const saved = new Set(
    [...document.querySelectorAll("[data-draft-saved]")].map(
      (element) => element.dataset.draftSaved,
    ),
  );
  document.querySelectorAll("form[data-keep-draft]").forEach((form) => {
    const key = PREFIX + form.dataset.keepDraft;
    form.querySelectorAll("textarea").forEach((area) => {
      const itemKey = `${key}:${area.name}`;
      if (saved.has(form.dataset.keepDraft)) {
        store.removeItem(itemKey);
      } else if (!area.value && store.getItem(itemKey)) {
        area.value = store.getItem(itemKey);
      }
      area.addEventListener("input", () => {
        if (area.value) store.setItem(itemKey, area.value);
        else store.removeItem(itemKey);
      });
    });
  });
  document.querySelectorAll("form[data-forget-drafts]").forEach((form) => {
    form.addEventListener("submit", () => {
      Object.keys(store)
        .filter((name) => name.startsWith(PREFIX))
        .forEach((name) => store.removeItem(name));
    });
  });
})();
