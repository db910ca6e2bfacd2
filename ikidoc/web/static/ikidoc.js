// ikidoc: the local page's only script. Without it every page still works; with it a
// generation's progress updates in place and a form cannot be sent twice.
(function () {
  "use strict";
  // The status of a run, asked every half second; a connection lost is said, and asked
  // again less often until the server answers.
  var follow = function (address, shown, lost) {
    var poll = function () {
      fetch(address, {credentials: "same-origin", cache: "no-store"})
        .then(function (response) { return response.json(); })
        .then(function (status) {
          if (shown(status)) { window.setTimeout(poll, 500); }
        })
        .catch(function () { lost(); window.setTimeout(poll, 2000); });
    };
    window.setTimeout(poll, 300);
  };
  var box = document.getElementById("kemajuan");
  if (box) {
    var bar = document.getElementById("kemajuan-batang");
    var text = document.getElementById("kemajuan-teks");
    follow(box.dataset.status, function (status) {
      if (status.finished) { window.location.reload(); return false; }
      bar.max = status.total || 1;
      bar.value = status.done;
      text.textContent = status.text;
      document.title = (status.total ? status.done + "/" + status.total + " · " : "") +
        box.dataset.judul;
      var pdfs = document.getElementById("kemajuan-pdf");
      if (pdfs && status.step === "pdf") {
        // LibreOffice tells no count: the bar moves to and fro, busy and not stuck.
        pdfs.removeAttribute("value");
      }
      return true;
    }, function () {
      text.textContent = box.dataset.putus;
      document.title = box.dataset.judulPutus;
    });
  }
  // The banner of a run on every other page follows it too, and says when it ended.
  document.querySelectorAll(".berjalan[data-status]").forEach(function (banner) {
    var said = banner.querySelector(".berjalan-teks");
    follow(banner.dataset.status, function (status) {
      if (!status.finished) { said.textContent = status.sentence; return true; }
      if (status.state !== "selesai" && status.state !== "gagal") {
        banner.remove();  // a run this server no longer knows (it was started again)
        return false;
      }
      banner.querySelector(".berjalan-judul").textContent =
        status.state === "selesai" ? banner.dataset.selesai : banner.dataset.gagal;
      said.textContent = "";
      banner.querySelector("a").textContent = "Lihat hasilnya";
      return false;
    }, function () { said.textContent = banner.dataset.putus; });
  });
  // A template that needs fields the data lacks asks for them as soon as it is chosen.
  var chooser = document.getElementById("template");
  var creating = document.getElementById("form-buat");
  if (chooser && creating) {
    // Only the chosen template's switches, and its notice of columns the table lacks,
    // are shown; the list is described by that notice.
    var switches = function () {
      creating.querySelectorAll("fieldset.sakelar, .kolom-kurang").forEach(function (set) {
        set.hidden = set.dataset.template !== chooser.value;
      });
      var notice = document.getElementById("kolom-kurang-" + chooser.value);
      if (notice) { chooser.setAttribute("aria-describedby", notice.id); }
      else { chooser.removeAttribute("aria-describedby"); }
    };
    switches();
    chooser.addEventListener("change", switches);
    // The pictures of the pages show the template chosen, with its switches ticked.
    var pictures = function () {
      var query = "?template=" + encodeURIComponent(chooser.value);
      creating.querySelectorAll("fieldset.sakelar input[name=sakelar]").forEach(function (box) {
        if ((box.checked || box.type === "hidden") && box.value.indexOf(chooser.value + ":") === 0) {
          query += "&sakelar=" + encodeURIComponent(box.value);
        }
      });
      document.querySelectorAll("img[data-alamat]").forEach(function (picture) {
        picture.src = picture.dataset.alamat + query;
      });
      document.querySelectorAll(".template-gambar").forEach(function (name) {
        name.textContent = chooser.value;
      });
    };
    chooser.addEventListener("change", pictures);
    creating.querySelectorAll("fieldset.sakelar input[name=sakelar]").forEach(function (box) {
      box.addEventListener("change", pictures);
    });
    // The page asks again (with everything typed and ticked sent along, nothing lost)
    // when the template chosen needs fields, or when the one shown asked for some. A
    // choice made with the mouse asks at once; arrowing through the list with the
    // keyboard asks nothing until Enter or the button "Pakai template ini" (shown then),
    // so that passing over a template does not reload the page.
    var using = creating.querySelector("button[name=hanya_pilih]");
    using.hidden = true;
    var byKeyboard = false;
    var asks = function () {
      var option = chooser.options[chooser.selectedIndex];
      return option.dataset.minta === "ya" || chooser.dataset.minta === "ya";
    };
    var ask = function () { creating.requestSubmit(using); };
    chooser.addEventListener("keydown", function (event) {
      byKeyboard = true;
      if (event.key === "Enter" && asks()) { event.preventDefault(); ask(); }
    });
    chooser.addEventListener("pointerdown", function () { byKeyboard = false; });
    chooser.addEventListener("change", function () {
      using.hidden = !asks();
      if (asks() && !byKeyboard) { ask(); }
    });
  }
  // The file chooser says, in the page's words, which file was chosen.
  document.querySelectorAll(".nama-berkas[data-untuk]").forEach(function (shown) {
    var input = document.getElementById(shown.dataset.untuk);
    input.addEventListener("change", function () {
      var names = Array.prototype.map.call(input.files, function (file) { return file.name; });
      shown.textContent = names.length ? names.join(", ") : "Belum ada berkas yang dipilih";
    });
  });
  var buttons = function (form) { return form.querySelectorAll("button[type=submit]"); };
  document.querySelectorAll("form[data-sibuk]").forEach(function (form) {
    form.addEventListener("submit", function () {
      // After the form's data is taken, so that the button's own value is still sent.
      window.setTimeout(function () {
        buttons(form).forEach(function (button) {
          button.dataset.teks = button.textContent;
          button.textContent = form.dataset.sibuk;
          button.disabled = true;
        });
      }, 0);
    });
  });
  // A position's page pictures on the comparison page are drawn when the browser asks for
  // them: say so while it waits, and say when they could not be drawn.
  document.querySelectorAll("img.beda").forEach(function (picture) {
    var waiting = picture.parentNode.querySelector(".menunggu");
    if (!waiting || picture.complete) { return; }
    waiting.hidden = false;
    picture.addEventListener("load", function () { waiting.hidden = true; });
    picture.addEventListener("error", function () {
      waiting.textContent = "Gambar halaman jabatan ini tidak dapat dibuat; muat ulang halaman untuk mencoba lagi.";
    });
  });
  // Coming back with the browser's Back button shows the page as it was left: busy.
  window.addEventListener("pageshow", function (event) {
    // A page kept by the browser (Back) may be out of date: an upload generated from since
    // then shows its run instead. Ask the server again.
    if (event.persisted) { window.location.reload(); return; }
    document.querySelectorAll("button[data-teks]").forEach(function (button) {
      button.textContent = button.dataset.teks;
      button.disabled = false;
    });
  });
})();
