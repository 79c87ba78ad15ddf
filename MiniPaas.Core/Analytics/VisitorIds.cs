using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace MiniPaas.Core.Analytics;

/// <summary>
/// Privacy-preserving visitor ids: HMAC-SHA256 of (IP, User-Agent, project) keyed by a random salt of the current UTC day.
/// The salt lives only in memory and only during its day, so an id cannot be recomputed from a stored IP later and the same
/// person gets unrelated ids on different days and in different projects.
/// </summary>
public sealed class VisitorIds(TimeProvider time)
{
    private readonly Lock _gate = new();
    private DateOnly _saltDay;
    private byte[]? _salt;

    /// <summary>The UTC day whose salt is held now, or null before the first id; never an earlier day than today.</summary>
    public DateOnly? SaltDay
    {
        get
        {
            lock (_gate)
            {
                ForgetPastSalt();
                return _salt is null ? null : _saltDay;
            }
        }
    }

    /// <summary>The visitor id of a request made at <paramref name="at"/>.</summary>
    /// <remarks>
    /// A request from an earlier day than today (buffered across midnight while PostgreSQL was down) gets a one-off salt:
    /// that day's salt is gone by design, so it counts as its own visitor rather than be linked to today's ids.
    /// </remarks>
    public long Compute(string? clientIp, string? userAgent, long projectId, DateTimeOffset at)
    {
        var day = DateOnly.FromDateTime(at.UtcDateTime);
        byte[] salt;
        lock (_gate)
        {
            ForgetPastSalt();
            var today = Today();
            if (day == today)
            {
                if (_salt is null)
                {
                    _salt = RandomNumberGenerator.GetBytes(32);
                    _saltDay = today;
                }

                salt = _salt;
            }
            else
            {
                salt = RandomNumberGenerator.GetBytes(32);
            }
        }

        return Hash(salt, clientIp, userAgent, projectId);
    }

    private static long Hash(byte[] salt, string? clientIp, string? userAgent, long projectId)
    {
        // Length-prefixed fields, so ("a", "bc") and ("ab", "c") never collide.
        var ip = clientIp ?? "";
        var ua = userAgent ?? "";
        var length = 4 + Encoding.UTF8.GetByteCount(ip) + 4 + Encoding.UTF8.GetByteCount(ua) + 8;
        var buffer = length <= 1024 ? stackalloc byte[length] : new byte[length];
        var offset = WriteField(buffer, ip);
        offset += WriteField(buffer[offset..], ua);
        BinaryPrimitives.WriteInt64LittleEndian(buffer[offset..], projectId);
        Span<byte> mac = stackalloc byte[32];
        HMACSHA256.HashData(salt, buffer, mac);
        return BinaryPrimitives.ReadInt64LittleEndian(mac);
    }

    private static int WriteField(Span<byte> buffer, string value)
    {
        var written = Encoding.UTF8.GetBytes(value, buffer[4..]);
        BinaryPrimitives.WriteInt32LittleEndian(buffer, written);
        return 4 + written;
    }

    private DateOnly Today() => DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);

    private void ForgetPastSalt()
    {
        if (_salt is not null && _saltDay != Today())
        {
            CryptographicOperations.ZeroMemory(_salt);
            _salt = null;
        }
    }
}
