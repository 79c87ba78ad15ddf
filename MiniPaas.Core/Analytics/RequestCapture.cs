using System.Threading.Channels;
using Microsoft.Extensions.Options;
using MiniPaas.Core.Ingress;

namespace MiniPaas.Core.Analytics;

/// <summary>
/// The capture point of request analytics: the ingress (or the Traefik log tailer) hands each finished request here.
/// It only tries to write into a bounded buffer that the <see cref="RequestIngestor"/> drains; when the buffer is full
/// (PostgreSQL down for long, or a flood) the request is dropped and counted in <see cref="Overflowed"/>, never waited for.
/// </summary>
public sealed class RequestCapture : IRequestObserver
{
    private readonly Channel<ProxiedRequest> _buffer;
    private long _overflowed;
    private long _captured;

    public RequestCapture(IOptions<AnalyticsOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Capacity = options.Value.BufferCapacity;
        _buffer = Channel.CreateBounded<ProxiedRequest>(new BoundedChannelOptions(Capacity)
        {
            // Wait mode makes TryWrite refuse when full, which is what lets us count the overflow; nobody ever waits.
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = true,
            SingleWriter = false,
        });
    }

    /// <summary>Requests the buffer holds at most.</summary>
    public int Capacity { get; }

    /// <summary>Requests dropped because the buffer was full, since start-up.</summary>
    public long Overflowed => Interlocked.Read(ref _overflowed);

    /// <summary>Requests accepted into the buffer, since start-up.</summary>
    public long Captured => Interlocked.Read(ref _captured);

    /// <summary>Requests waiting in the buffer now.</summary>
    public int Pending => _buffer.Reader.Count;

    internal ChannelReader<ProxiedRequest> Reader => _buffer.Reader;

    public void OnRequestCompleted(ProxiedRequest request)
    {
        if (_buffer.Writer.TryWrite(request))
        {
            Interlocked.Increment(ref _captured);
        }
        else
        {
            Interlocked.Increment(ref _overflowed);
        }
    }
}
