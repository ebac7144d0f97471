// Reading aids before the first paint. Loaded by src/app.html in <head>, as a file of our own
// (the Content-Security-Policy allows scripts from this site and SvelteKit's hashed one, no other
// inline script), before the body is parsed, so a page never shows at the standard size and then
// jumps to the chosen one. It sets on <html> the attributes static/app.css styles, from what this
// device keeps under 'roundtable.reading-aids' (READING_AIDS_KEY in src/lib/protocol/device.ts).
// The same rules as readingAidAttributes() in src/lib/domain/reading-aids.ts, written out in plain
// old JavaScript so it runs on any browser before anything else: tests/unit/reading-aids.test.ts
// runs this file against that function for every choice.
(function () {
  try {
    // Not on the present view (/w/<id>/present): a room's screen, with its own large type and
    // contrast, and no one person's choices (the layout leaves it standard too).
    if (/^\/w\/[^/]+\/present\/?$/.test(window.location.pathname)) return;
    var raw = window.localStorage.getItem('roundtable.reading-aids');
    if (!raw) return;
    var aids = JSON.parse(raw);
    if (!aids || typeof aids !== 'object') return;
    var root = document.documentElement;
    if (aids.text === 'large' || aids.text === 'larger' || aids.text === 'largest') root.setAttribute('data-text-size', aids.text);
    if (aids.contrast === true) root.setAttribute('data-contrast', 'high');
    if (aids.lessMotion === true) root.setAttribute('data-motion', 'less');
    if (aids.spacing === true) root.setAttribute('data-spacing', 'wide');
  } catch (e) {
    // Storage blocked, or a value that is not JSON: the standard page.
  }
})();
