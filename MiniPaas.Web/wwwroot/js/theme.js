// Remembers the dashboard's light/dark choice in this browser.
const key = "minipaas-dark-mode";

export function getStoredDarkMode() {
    const value = localStorage.getItem(key);
    return value === null ? null : value === "true";
}

export function storeDarkMode(isDark) {
    localStorage.setItem(key, isDark ? "true" : "false");
}
