import { describe, expect, it } from "vitest";

describe("test environment", () => {
  it("has a DOM to render into", () => {
    document.body.innerHTML = '<div id="app"></div>';
    expect(document.getElementById("app")).not.toBeNull();
  });
});
