using System.Threading.Channels;
using MiniPaas.Core.Deploying;

namespace MiniPaas.Tests.Shared.Fakes;

/// <summary>An engine status the test drives: <see cref="Publish"/> changes <see cref="Current"/> and reaches every watcher.</summary>
public sealed class FakeEngineStatus(EngineStatus initial) : IEngineStatus
{
    private readonly Lock _gate = new();
    private readonly List<Channel<EngineStatus>> _watchers = [];

    public EngineStatus Current { get; private set; } = initial;

    public static FakeEngineStatus Connected(string version = "20.10.24-fake") =>
        new(new EngineStatus(true, "unix:///var/run/docker.sock", version, "1.41", null, DateTimeOffset.UnixEpoch));

    public int WatcherCount
    {
        get
        {
            lock (_gate)
            {
                return _watchers.Count;
            }
        }
    }

    public void Publish(EngineStatus status)
    {
        lock (_gate)
        {
            Current = status;
            foreach (var watcher in _watchers)
            {
                watcher.Writer.TryWrite(status);
            }
        }
    }

    public async IAsyncEnumerable<EngineStatus> WatchAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct = default)
    {
        var channel = Channel.CreateUnbounded<EngineStatus>();
        lock (_gate)
        {
            channel.Writer.TryWrite(Current);
            _watchers.Add(channel);
        }

        try
        {
            await foreach (var status in channel.Reader.ReadAllAsync(ct))
            {
                yield return status;
            }
        }
        finally
        {
            lock (_gate)
            {
                _watchers.Remove(channel);
            }
        }
    }
}
