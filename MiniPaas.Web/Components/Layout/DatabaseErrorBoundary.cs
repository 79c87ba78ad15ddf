using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using MiniPaas.Core.Persistence;

namespace MiniPaas.Web.Components.Layout;

/// <summary>
/// The page's error boundary: a page that fails because PostgreSQL is unreachable tells <see cref="DatabaseAvailability"/>
/// (so the layout shows its banner at once) instead of ending the circuit; the layout recovers it when the database is back.
/// </summary>
public sealed class DatabaseErrorBoundary : ErrorBoundary
{
    [Inject]
    private DatabaseAvailability Availability { get; set; } = null!;

    protected override Task OnErrorAsync(Exception exception)
    {
        Availability.ReportUnavailable(exception);
        return base.OnErrorAsync(exception);
    }
}
