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
    // Copy buttons of all lines share this listener; the line's shown text is its text without colour codes.
    const onClick = async (event) => {
        const button = event.target.closest(".minipaas-log-copy");
        const text = button?.closest(".minipaas-log-line")?.querySelector(".minipaas-log-text")?.textContent;
        if (text === undefined || text === null) {
            return;
        }
        try {
            await navigator.clipboard.writeText(text);
            await dotnet.invokeMethodAsync("OnLineCopied", null);
        } catch (error) {
            await dotnet.invokeMethodAsync("OnLineCopied", String(error?.message ?? error));
        }
    };
    element.addEventListener("click", onClick);
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
            element.removeEventListener("click", onClick);
        },
    };
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
