namespace MiniPaas.Core.Deploying;

/// <summary>
/// Projects whose deletion has begun. The reconciler leaves them alone: a pass that read the project before its row went
/// would otherwise put its route back. Route changes made through <see cref="UnlessDeleting"/> are atomic with
/// <see cref="Begin"/>, so each one lands either before the deletion starts (and the deletion removes it) or not at all.
/// </summary>
public sealed class ProjectDeletions
{
    private readonly Lock _gate = new();

    // Ids are never reused, so a deleted project stays listed: a pass may still hold it in a snapshot read before the delete.
    private readonly HashSet<long> _deleting = [];

    /// <summary>Marks the project as being deleted; from now on <see cref="UnlessDeleting"/> skips it.</summary>
    public void Begin(long projectId)
    {
        lock (_gate)
        {
            _deleting.Add(projectId);
        }
    }

    /// <summary>The deletion failed and the project remains: the reconciler looks after it again.</summary>
    public void Abandon(long projectId)
    {
        lock (_gate)
        {
            _deleting.Remove(projectId);
        }
    }

    public bool IsDeleting(long projectId)
    {
        lock (_gate)
        {
            return _deleting.Contains(projectId);
        }
    }

    /// <summary>Runs <paramref name="change"/> (a route change for the project) unless the project is being deleted.</summary>
    public void UnlessDeleting(long projectId, Action change)
    {
        ArgumentNullException.ThrowIfNull(change);
        lock (_gate)
        {
            if (!_deleting.Contains(projectId))
            {
                change();
            }
        }
    }
}
