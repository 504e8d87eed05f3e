// The "Copy" button next to the private link. Without JavaScript the button
// stays hidden and the link can still be selected and copied by hand.
document.querySelectorAll("[data-copy]").forEach((button) => {
  const input = document.getElementById(button.dataset.copy);
  if (!input || !navigator.clipboard) return;
  button.hidden = false;
  button.addEventListener("click", () => {
    navigator.clipboard.writeText(input.value).then(() => {
      button.textContent = button.dataset.copied;
    });
  });
});
