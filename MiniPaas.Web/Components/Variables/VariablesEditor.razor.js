// Browser-side helpers of the variables editor: the value never leaves the page except to the clipboard or a file the user asked for.
export function downloadText(fileName, text) {
    const url = URL.createObjectURL(new Blob([text], { type: "text/plain;charset=utf-8" }));
    const link = document.createElement("a");
    link.href = url;
    link.download = fileName;
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export function copyText(text) {
    return navigator.clipboard.writeText(text);
}
