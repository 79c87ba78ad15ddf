using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace MiniPaas.Core.Ingress.Traefik;

/// <summary>
/// Follows a growing log file line by line, across rotation and restarts. The file is recognised by a fingerprint (hash of
/// its first line), which survives a restart and tells a rotated-in file from the old one — .NET exposes no inode, and a
/// Traefik access line starts with a nanosecond timestamp and a client port, so two files never share a first line.
/// <list type="bullet">
/// <item>Rotation by rename (logrotate + USR1): the old file is read to its end through the handle still open, then the new
/// file is read from its start.</item>
/// <item>Truncation in place (copytruncate): the file got shorter than the offset, so reading restarts at 0.</item>
/// <item>Restart: the offset and fingerprint are saved in <see cref="StatePath"/>; a matching file resumes at the offset,
/// another file starts at 0.</item>
/// </list>
/// Only complete lines are returned; a line still being written waits for its newline. Not thread-safe (one tailer).
/// </summary>
public sealed class AccessLogFollower(string path, string statePath) : IDisposable
{
    // Enough of the first line to be unique (timestamp, client address) without reading a whole long line.
    private const int FingerprintBytes = 1024;
    private const int MaxLineBytes = 1024 * 1024;

    private FileStream? _stream;
    private string? _fingerprint;
    private long _offset;
    private bool _stateLoaded;

    public string Path { get; } = path;

    public string StatePath { get; } = statePath;

    /// <summary>Byte offset of the next unread line in the current file.</summary>
    public long Offset => _offset;

    /// <summary>Complete lines appended since the last call (from the rotated-away file first, then the current one).</summary>
    public IReadOnlyList<string> ReadNewLines()
    {
        var lines = new List<string>();
        if (_stream is null && !TryOpenCurrent(resume: true))
        {
            return lines;
        }

        ReadAvailable(lines);

        if (HasBeenReplaced())
        {
            // Whatever the writer appended to the old file before it let go was read above; the new file starts at 0.
            CloseStream();
            if (TryOpenCurrent(resume: false))
            {
                ReadAvailable(lines);
            }
        }

        return lines;
    }

    /// <summary>Persists the offset, so a restart resumes after the lines already returned.</summary>
    public void SaveState()
    {
        if (_fingerprint is null)
        {
            return;
        }

        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(StatePath)!);
        var temporary = StatePath + ".tmp";
        File.WriteAllText(temporary, JsonSerializer.Serialize(new FollowerState(_fingerprint, _offset)));
        File.Move(temporary, StatePath, overwrite: true);
    }

    public void Dispose() => CloseStream();

    private bool TryOpenCurrent(bool resume)
    {
        FileStream stream;
        try
        {
            // Delete share: the writer's rotation (rename, delete) must never fail because we hold the file open.
            stream = new FileStream(Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 64 * 1024);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return false;
        }

        _stream = stream;
        _fingerprint = Fingerprint(stream);
        _offset = 0;
        var saved = resume && !_stateLoaded ? LoadState() : null;
        _stateLoaded = true;
        if (saved is not null && _fingerprint is not null && saved.Fingerprint == _fingerprint && saved.Offset <= stream.Length)
        {
            _offset = saved.Offset;
        }

        return true;
    }

    private void ReadAvailable(List<string> lines)
    {
        var stream = _stream!;
        if (stream.Length < _offset)
        {
            // Truncated in place (copytruncate): the writer starts over at 0, and the first line is a new one.
            _offset = 0;
            _fingerprint = null;
        }

        _fingerprint ??= Fingerprint(stream);
        stream.Position = _offset;
        var pending = new MemoryStream();
        var buffer = new byte[64 * 1024];
        var consumed = _offset;
        int read;
        while ((read = stream.Read(buffer, 0, buffer.Length)) > 0)
        {
            var start = 0;
            for (var i = 0; i < read; i++)
            {
                if (buffer[i] != (byte)'\n')
                {
                    continue;
                }

                pending.Write(buffer, start, i - start);
                consumed += pending.Length + 1;
                lines.Add(Encoding.UTF8.GetString(pending.GetBuffer(), 0, (int)pending.Length).TrimEnd('\r'));
                pending.SetLength(0);
                start = i + 1;
            }

            pending.Write(buffer, start, read - start);
            if (pending.Length > MaxLineBytes)
            {
                // A runaway line without newline: skip it rather than buffer without bound.
                consumed += pending.Length;
                pending.SetLength(0);
            }
        }

        _offset = consumed;
    }

    private bool HasBeenReplaced()
    {
        try
        {
            using var current = new FileStream(Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 4096);
            if (current.Length < _offset)
            {
                return true; // a new, shorter file — or the same one truncated; both restart at 0
            }

            var fingerprint = Fingerprint(current);
            return fingerprint is not null && _fingerprint is not null && fingerprint != _fingerprint;
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            // Renamed away and not yet recreated: keep reading the old handle until the new file appears.
            return false;
        }
    }

    /// <summary>Hash of the first line (or first 1 KiB); null while the file has no complete first line yet.</summary>
    private static string? Fingerprint(FileStream stream)
    {
        var buffer = new byte[FingerprintBytes];
        stream.Position = 0;
        var length = 0;
        int read;
        while (length < buffer.Length && (read = stream.Read(buffer, length, buffer.Length - length)) > 0)
        {
            length += read;
        }

        var newline = Array.IndexOf(buffer, (byte)'\n', 0, length);
        if (newline < 0 && length < FingerprintBytes)
        {
            return null;
        }

        var end = newline >= 0 ? newline : length;
        return Convert.ToHexString(SHA256.HashData(buffer.AsSpan(0, end)));
    }

    private FollowerState? LoadState()
    {
        try
        {
            return JsonSerializer.Deserialize<FollowerState>(File.ReadAllText(StatePath));
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException or JsonException)
        {
            return null;
        }
    }

    private void CloseStream()
    {
        _stream?.Dispose();
        _stream = null;
        _fingerprint = null;
    }

    private sealed record FollowerState(string Fingerprint, long Offset);
}
