namespace MiniPaas.Core.Persistence;

/// <summary>
/// Saves a batch so that rows PostgreSQL refuses for good (<see cref="DatabaseFaults.IsPermanent"/>) cannot hold back the
/// others. The whole batch is tried first; when it is refused, it is split by partition (deployment), and a partition that
/// is refused is dropped whole when it names a row that no longer exists (a foreign-key violation: every row of it would fail
/// the same way), otherwise halved until the refused rows stand alone and are dropped. Any other failure (the database is
/// down) is thrown, with <c>batch</c> reduced to the rows not yet saved, so the caller retries only those, later.
/// </summary>
public static class PoisonBatch
{
    /// <summary>Saves <paramref name="batch"/>; see the type. On return (or throw) <paramref name="batch"/> holds what is still unsaved.</summary>
    /// <param name="batch">Rows to save, in order; order is kept within a partition.</param>
    /// <param name="save">Saves one part in one transaction (all or nothing).</param>
    /// <param name="partition">The key a whole part can be refused for (e.g. the deployment id).</param>
    /// <param name="saved">Told about each part once it is committed.</param>
    /// <param name="dropped">Told about each part given up, with the refusal.</param>
    public static async Task SaveAsync<T>(
        List<T> batch,
        Func<IReadOnlyList<T>, CancellationToken, Task> save,
        Func<T, long> partition,
        Action<IReadOnlyList<T>> saved,
        Action<IReadOnlyList<T>, Exception> dropped,
        CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentNullException.ThrowIfNull(save);
        ArgumentNullException.ThrowIfNull(partition);
        ArgumentNullException.ThrowIfNull(saved);
        ArgumentNullException.ThrowIfNull(dropped);
        if (batch.Count == 0)
        {
            return;
        }

        // Parts still to save, front first; splitting puts the pieces back at the front, in order.
        var parts = new LinkedList<Part<T>>();
        parts.AddFirst(new Part<T>([.. batch], IsWholeBatch: true));
        try
        {
            while (parts.First is { } first)
            {
                var part = first.Value;
                try
                {
                    await save(part.Rows, ct).ConfigureAwait(false);
                    parts.RemoveFirst();
                    saved(part.Rows);
                }
                catch (Exception ex) when (DatabaseFaults.IsPermanent(ex))
                {
                    parts.RemoveFirst();
                    foreach (var piece in Enumerable.Reverse(Split(part, partition, ex, dropped)))
                    {
                        parts.AddFirst(piece);
                    }
                }
            }
        }
        finally
        {
            batch.Clear();
            batch.AddRange(parts.SelectMany(p => p.Rows));
        }
    }

    private static List<Part<T>> Split<T>(Part<T> part, Func<T, long> partition, Exception refusal, Action<IReadOnlyList<T>, Exception> dropped)
    {
        if (part.IsWholeBatch)
        {
            var groups = part.Rows.GroupBy(partition).Select(g => new Part<T>([.. g], IsWholeBatch: false, IsWholePartition: true)).ToList();
            if (groups.Count > 1)
            {
                return groups;
            }

            part = groups[0];
        }

        if (part.Rows.Length == 1 || (part.IsWholePartition && DatabaseFaults.IsMissingReference(refusal)))
        {
            dropped(part.Rows, refusal);
            return [];
        }

        var half = part.Rows.Length / 2;
        return [new Part<T>(part.Rows[..half], IsWholeBatch: false), new Part<T>(part.Rows[half..], IsWholeBatch: false)];
    }

    private sealed record Part<T>(T[] Rows, bool IsWholeBatch, bool IsWholePartition = false);
}
