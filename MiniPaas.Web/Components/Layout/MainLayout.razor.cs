using Microsoft.JSInterop;
using MiniPaas.Core.Persistence;
using MudBlazor;

namespace MiniPaas.Web.Components.Layout;

/// <summary>
/// App bar, navigation drawer, the light/dark theme remembered in the browser, and the "database unavailable" banner: the
/// page sits in an error boundary that is recovered (the page rendered again) when the database is back.
/// </summary>
public sealed partial class MainLayout(IJSRuntime js, DatabaseAvailability database) : IAsyncDisposable
{
    private readonly CancellationTokenSource _disposed = new();
    private Task _watchDatabase = Task.CompletedTask;
    private DatabaseErrorBoundary? _pageBoundary;
    private bool _isDatabaseAvailable = true;
    private MudThemeProvider? _themeProvider;
    private IJSObjectReference? _themeModule;
    private bool _isDarkMode;
    private bool _hasStoredChoice;
    private bool _isReady;
    private bool _drawerOpen = true;

    protected override void OnInitialized()
    {
        var state = database.State;
        _isDatabaseAvailable = state.IsAvailable;
        if (RendererInfo.IsInteractive)
        {
            _watchDatabase = WatchDatabaseAsync(state.Version, _disposed.Token);
        }
    }

    private async Task WatchDatabaseAsync(long version, CancellationToken ct)
    {
        try
        {
            while (true)
            {
                var state = await database.WaitForChangeAsync(version, ct);
                version = state.Version;
                await InvokeAsync(() =>
                {
                    _isDatabaseAvailable = state.IsAvailable;
                    if (state.IsAvailable)
                    {
                        // The page failed (or would have) without its data: render it afresh now that it can load.
                        _pageBoundary?.Recover();
                    }

                    StateHasChanged();
                });
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // The circuit is gone.
        }
    }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (!firstRender || _themeProvider is null)
        {
            return;
        }

        try
        {
            _themeModule = await js.InvokeAsync<IJSObjectReference>("import", "./js/theme.js");
            // A stored choice wins; otherwise follow the operating system's preference.
            var stored = await _themeModule.InvokeAsync<bool?>("getStoredDarkMode");
            _hasStoredChoice = stored.HasValue;
            _isDarkMode = stored ?? await _themeProvider.GetSystemDarkModeAsync();
            await _themeProvider.WatchSystemDarkModeAsync(OnSystemDarkModeChangedAsync);
        }
        finally
        {
            // The readiness marker waits for this so that a click cannot race the stored theme being applied.
            _isReady = true;
            StateHasChanged();
        }
    }

    private Task OnSystemDarkModeChangedAsync(bool isDark)
    {
        // Until the user picks a theme here, the dashboard keeps following the operating system.
        if (!_hasStoredChoice)
        {
            _isDarkMode = isDark;
            StateHasChanged();
        }

        return Task.CompletedTask;
    }

    private void ToggleDrawer() => _drawerOpen = !_drawerOpen;

    private async Task ToggleThemeAsync()
    {
        _isDarkMode = !_isDarkMode;
        _hasStoredChoice = true;
        if (_themeModule is not null)
        {
            await _themeModule.InvokeVoidAsync("storeDarkMode", _isDarkMode);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _disposed.CancelAsync();
        await _watchDatabase;
        _disposed.Dispose();

        if (_themeModule is not null)
        {
            try
            {
                await _themeModule.DisposeAsync();
            }
            catch (JSDisconnectedException)
            {
                // The circuit is gone; the browser already dropped the module.
            }
        }
    }
}
