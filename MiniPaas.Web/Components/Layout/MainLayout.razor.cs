using Microsoft.JSInterop;
using MudBlazor;

namespace MiniPaas.Web.Components.Layout;

/// <summary>App bar, navigation drawer and the light/dark theme remembered in the browser.</summary>
public sealed partial class MainLayout(IJSRuntime js) : IAsyncDisposable
{
    private MudThemeProvider? _themeProvider;
    private IJSObjectReference? _themeModule;
    private bool _isDarkMode;
    private bool _drawerOpen = true;

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (!firstRender || _themeProvider is null)
        {
            return;
        }

        _themeModule = await js.InvokeAsync<IJSObjectReference>("import", "./js/theme.js");
        // A stored choice wins; otherwise follow the operating system's preference.
        var stored = await _themeModule.InvokeAsync<bool?>("getStoredDarkMode");
        _isDarkMode = stored ?? await _themeProvider.GetSystemDarkModeAsync();
        StateHasChanged();
    }

    private void ToggleDrawer() => _drawerOpen = !_drawerOpen;

    private async Task ToggleThemeAsync()
    {
        _isDarkMode = !_isDarkMode;
        if (_themeModule is not null)
        {
            await _themeModule.InvokeVoidAsync("storeDarkMode", _isDarkMode);
        }
    }

    public async ValueTask DisposeAsync()
    {
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
