// The event form: propose the page's address (slug) from the title as one types, the same
// rule as the server's fallback (app/staff/events/slugs.py). Once staff type their own
// address, it is left alone; emptied, the proposal comes back.
const LETTERS = { "œ": "oe", "æ": "ae", "ø": "o", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "ı": "i", "ß": "ss" };
const LENGTH = 60;

export function suggest(title) {
  let slug = title
    .trim()
    .toLowerCase()
    .replace(/[œæøłđðþıß]/g, (letter) => LETTERS[letter])
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
  if (slug.length > LENGTH) {
    const cut = slug.slice(0, LENGTH + 1);
    slug = cut.includes("-") ? cut.slice(0, cut.lastIndexOf("-")) : cut.slice(0, LENGTH);
  }
  return slug.replace(/^-+|-+$/g, "") || "reunion";
}

for (const field of document.querySelectorAll("[data-slug-from]")) {
  const source = document.getElementById(field.dataset.slugFrom);
  if (!source) continue;
  // A slug already typed by hand stays; an empty one or the title's own follows the title.
  let following = field.value === "" || field.value === suggest(source.value);
  source.addEventListener("input", () => {
    if (following) field.value = source.value.trim() ? suggest(source.value) : "";
  });
  field.addEventListener("input", () => {
    following = field.value === "";
  });
}
