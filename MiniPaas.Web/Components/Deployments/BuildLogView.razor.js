// Keeps the build log scrolled to its end while the reader is at the end; scrolling up stops following.
export function follow(element) {
    let atEnd = true;
    const onScroll = () => {
        atEnd = element.scrollHeight - element.scrollTop - element.clientHeight < 40;
    };
    element.addEventListener("scroll", onScroll);
    const observer = new MutationObserver(() => {
        if (atEnd) {
            element.scrollTop = element.scrollHeight;
        }
    });
    observer.observe(element, { childList: true, subtree: true, characterData: true });
    element.scrollTop = element.scrollHeight;
    return {
        dispose: () => {
            observer.disconnect();
            element.removeEventListener("scroll", onScroll);
        },
    };
}
