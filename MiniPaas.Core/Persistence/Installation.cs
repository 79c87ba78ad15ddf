using Microsoft.EntityFrameworkCore;

namespace MiniPaas.Core.Persistence;

/// <summary>
/// Identity of this MiniPaas installation (one per database), created on first start. Containers carry it as a label, so
/// the reconciler adopts or removes only its own containers when several installations (or test runs) share one engine.
/// </summary>
public sealed class Installation
{
    private readonly TaskCompletionSource<string> _id = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The id, once start-up has read or created it.</summary>
    public Task<string> IdAsync => _id.Task;

    internal async Task LoadOrCreateAsync(MiniPaasDbContext db, TimeProvider timeProvider, CancellationToken ct)
    {
        var row = await db.Set<InstallationRecord>().SingleOrDefaultAsync(i => i.Id == 1, ct).ConfigureAwait(false);
        if (row is null)
        {
            row = new InstallationRecord { Id = 1, InstanceId = Guid.NewGuid(), CreatedAt = timeProvider.GetUtcNow() };
            db.Add(row);
            await db.SaveChangesAsync(ct).ConfigureAwait(false);
        }

        _id.TrySetResult(row.InstanceId.ToString("N"));
    }
}
