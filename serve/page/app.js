// app.js: the minimal page: the form's query sent to /api/search, its hits listed as text.
"use strict";

function show(data) {
  const list = document.getElementById("hits");
  list.replaceChildren();
  document.getElementById("count").textContent = data.error
    ? data.error
    : "共 " + data.total + " 条";
  for (const hit of data.hits || []) {
    const item = document.createElement("li");
    const where = document.createElement("div");
    where.textContent = hit.city + " · " + hit.document + " · " + hit.id;
    const text = document.createElement("p");
    text.textContent = hit.text; // text, never markup: a plan may hold anything
    item.append(where, text);
    list.append(item);
  }
}

async function search(q) {
  const answer = await fetch("/api/search?" + new URLSearchParams({ q }));
  show(await answer.json());
}

document.addEventListener("DOMContentLoaded", () => {
  const q = new URLSearchParams(location.search).get("q");
  if (q) {
    document.getElementById("q").value = q;
    search(q);
  }
  document.getElementById("search").addEventListener("submit", (e) => {
    e.preventDefault();
    const value = document.getElementById("q").value;
    history.replaceState(null, "", "?" + new URLSearchParams({ q: value }));
    search(value);
  });
});
