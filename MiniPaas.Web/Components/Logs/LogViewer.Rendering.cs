using System.Text;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Rendering;
using Microsoft.JSInterop;
using MudBlazor;

namespace MiniPaas.Web.Components.Logs;

// How lines look (ANSI colours, search highlight, level classes) and what leaves the page (copy, download).
public sealed partial class LogViewer
{
    // Plain elements, not MudBlazor components: every open viewer pays for each component's render-tree buffers.
    private static readonly MarkupString SearchIcon = Icon(Icons.Material.Filled.Search);
    private static readonly MarkupString DownloadIcon = Icon(Icons.Material.Filled.Download);
    private static readonly MarkupString JumpIcon = Icon(Icons.Material.Filled.ArrowDownward);

    private static MarkupString Icon(string paths) =>
        new($"<svg class=\"minipaas-log-icon\" viewBox=\"0 0 24 24\" aria-hidden=\"true\">{paths}</svg>");

    /// <summary>Called by the list's click listener after a copy button copied its line's text.</summary>
    [JSInvokable]
    public Task OnLineCopied(string? error)
    {
        if (error is null)
        {
            snackbar.Add("Line copied.", Severity.Normal);
        }
        else
        {
            snackbar.Add($"Could not copy: {error}", Severity.Warning);
        }

        return Task.CompletedTask;
    }

    private async Task DownloadAsync()
    {
        if (_module is null)
        {
            return;
        }

        var text = new StringBuilder();
        foreach (var line in Shown)
        {
            text.Append(line.Timestamp.ToString("O", Invariant)).Append(' ').Append(line.PlainText).Append('\n');
        }

        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(text.ToString()));
        using var reference = new DotNetStreamReference(stream);
        await _module.InvokeVoidAsync("download", $"deployment-{DeploymentId}-{Source.Kind}.log", reference);
    }

    private static string LineClass(LogViewLine line) =>
        line.IsNotice ? "minipaas-log-line minipaas-log-notice" : line.Level is { } level ? $"minipaas-log-line minipaas-log-{level}" : "minipaas-log-line";

    // Text is always added as text content (Blazor escapes it); styles come only from AnsiText's own palette.
    private RenderFragment RenderText(LogViewLine line) => builder =>
    {
        var segments = AnsiText.Parse(line.Text);
        for (var i = 0; i < segments.Count; i++)
        {
            var segment = segments[i];
            if (segment.Style is null)
            {
                AddHighlighted(builder, segment.Text);
            }
            else
            {
                builder.OpenElement(0, "span");
                builder.AddAttribute(1, "style", segment.Style);
                AddHighlighted(builder, segment.Text);
                builder.CloseElement();
            }

        }
    };

    private void AddHighlighted(RenderTreeBuilder builder, string text)
    {
        var needle = _searchResults is null ? null : _searchedFor;
        var start = 0;
        while (!string.IsNullOrEmpty(needle) && start < text.Length)
        {
            var found = text.IndexOf(needle, start, StringComparison.OrdinalIgnoreCase);
            if (found < 0)
            {
                break;
            }

            builder.AddContent(3, text[start..found]);
            builder.OpenElement(4, "mark");
            builder.AddContent(5, text.Substring(found, needle.Length));
            builder.CloseElement();
            start = found + needle.Length;
        }

        builder.AddContent(6, text[start..]);
    }
}
