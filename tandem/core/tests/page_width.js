// How wide the page is, and for a failure message what widens it: the innermost elements whose
// content spills out of them, and the outermost boxes past the right edge that no scroller holds.
() => {
  const limit = document.documentElement.clientWidth;
  const name = (el) =>
    el.tagName.toLowerCase() +
    (typeof el.className === "string" && el.className.trim()
      ? "." + el.className.trim().split(/\s+/).join(".")
      : "");
  const all = [...document.body.querySelectorAll("*")];
  const scrolled = (el) => {
    for (let p = el.parentElement; p; p = p.parentElement) {
      if (getComputedStyle(p).overflowX !== "visible") return true;
    }
    return false;
  };
  const spills = all.filter(
    (el) =>
      getComputedStyle(el).overflowX === "visible" &&
      el.clientWidth > 0 &&
      el.scrollWidth > el.clientWidth + 1,
  );
  const innermost = spills.filter((el) => !spills.some((o) => o !== el && el.contains(o)));
  const past = all.filter((el) => el.getBoundingClientRect().right > limit + 1 && !scrolled(el));
  const outermost = past.filter((el) => !past.some((o) => o !== el && o.contains(el)));
  const px = (el) => Math.round(Math.max(el.scrollWidth, el.getBoundingClientRect().right));
  return {
    width: document.documentElement.scrollWidth,
    limit,
    out: [...innermost, ...outermost].slice(0, 5).map((el) => `${name(el)} ${px(el)}px`),
  };
}
