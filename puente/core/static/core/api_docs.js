/* The API documentation pages load nothing from other sites. Redoc's bundle draws its maker's
   logo from a CDN; the policy (img-src 'self') would refuse it, but the browser would still
   try. Loaded before the bundle, this drops any image address outside this site, so that no
   such request is even attempted. */
(function () {
  "use strict";

  function fromHere(value) {
    var text = String(value);
    if (/^(data|blob):/i.test(text)) { return true; }
    try {
      return new URL(text, document.baseURI).origin === window.location.origin;
    } catch (error) {
      return false;
    }
  }

  var setAttribute = Element.prototype.setAttribute;
  Element.prototype.setAttribute = function (name, value) {
    if (this instanceof HTMLImageElement && String(name).toLowerCase() === "src" && !fromHere(value)) {
      this.hidden = true;
      return undefined;
    }
    return setAttribute.call(this, name, value);
  };

  var source = Object.getOwnPropertyDescriptor(HTMLImageElement.prototype, "src");
  Object.defineProperty(HTMLImageElement.prototype, "src", {
    configurable: true,
    enumerable: source.enumerable,
    get: source.get,
    set: function (value) {
      if (fromHere(value)) {
        source.set.call(this, value);
      } else {
        this.hidden = true;
      }
    },
  });
})();
