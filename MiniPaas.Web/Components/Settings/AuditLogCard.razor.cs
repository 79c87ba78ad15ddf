using Microsoft.AspNetCore.Components;
using MiniPaas.Core.Owner;

namespace MiniPaas.Web.Components.Settings;

/// <summary>Lists the newest audit entries; reloads whenever <see cref="Version"/> changes (the page bumps it after recording).</summary>
public sealed partial class AuditLogCard(AuditLog audit) : IDisposable
{
    /// <summary>How many entries are shown.</summary>
    public const int Limit = 50;

    private readonly CancellationTokenSource _disposed = new();
    private IReadOnlyList<AuditEntryView>? _entries;
    private int? _loadedVersion;

    /// <summary>Change it to reload the list. Default 0.</summary>
    [Parameter]
    public int Version { get; set; }

    protected override async Task OnParametersSetAsync()
    {
        if (_loadedVersion == Version)
        {
            return;
        }

        _loadedVersion = Version;
        _entries = await audit.ListAsync(Limit, _disposed.Token);
    }

    public void Dispose()
    {
        _disposed.Cancel();
        _disposed.Dispose();
    }
}
