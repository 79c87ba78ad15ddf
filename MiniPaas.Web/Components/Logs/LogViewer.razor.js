// Follow mode for a log viewer: keeps the list at its end while the reader is there; scrolling up pauses and tells .NET,
// which shows "jump to latest (N new)".
export function attach(element, dotnet) {
    let atEnd = true;
    let lastTop = element.scrollTop;
    const isAtEnd = () => element.scrollHeight - element.scrollTop - element.clientHeight < 40;
    const setFollowing = (following) => {
        if (following !== atEnd) {
            atEnd = following;
            dotnet.invokeMethodAsync("OnFollowChanged", atEnd);
        }
    };
    // Only a move up pauses: while lines flood in, the list grows between our scroll-to-end and the next scroll event, which
    // must not read as "the reader left the end".
    const onScroll = () => {
        const top = element.scrollTop;
        if (isAtEnd()) {
            setFollowing(true);
        } else if (top < lastTop - 2) {
            setFollowing(false);
        } else if (atEnd) {
            element.scrollTop = element.scrollHeight;
        }
        lastTop = element.scrollTop;
    };
    element.addEventListener("scroll", onScroll, { passive: true });
    const observer = new MutationObserver(() => {
        if (atEnd) {
            element.scrollTop = element.scrollHeight;
            lastTop = element.scrollTop;
        }
    });
    observer.observe(element, { childList: true, subtree: true, characterData: true });
    element.scrollTop = element.scrollHeight;
    return {
        toEnd: () => {
            atEnd = true;
            element.scrollTop = element.scrollHeight;
            lastTop = element.scrollTop;
        },
        dispose: () => {
            observer.disconnect();
            element.removeEventListener("scroll", onScroll);
        },
    };
}

export async function copyText(text) {
    await navigator.clipboard.writeText(text);
}

export async function download(fileName, streamReference) {
    const buffer = await streamReference.arrayBuffer();
    const url = URL.createObjectURL(new Blob([buffer], { type: "text/plain;charset=utf-8" }));
    const link = document.createElement("a");
    link.href = url;
    link.download = fileName;
    document.body.appendChild(link);
    link.click();
    link.remove();
    URL.revokeObjectURL(url);
}
