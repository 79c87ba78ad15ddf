using System.Globalization;
using System.Text;

namespace MiniPaas.Core.Logs;

/// <summary>Caps on the output of one build (<c>MiniPaas:Builder:MaxBuildLog*</c>).</summary>
/// <param name="MaxLineLength">Characters kept of one line; the rest is cut with a marker saying how much.</param>
/// <param name="MaxLines">Lines stored per build.</param>
/// <param name="MaxBytes">UTF-8 bytes stored per build.</param>
public sealed record BuildLogLimits(int MaxLineLength, int MaxLines, long MaxBytes);

/// <summary>
/// The part of one deployment's build log that the repository controls — git's output and the build's — under the caps of
/// <see cref="BuildLogLimits"/>: each line is masked and cut like a runtime line, and once the build has stored its share of
/// lines or bytes the rest is only counted, then summarised by <see cref="Complete"/> in one notice. MiniPaas's own lines
/// (steps, failure reasons) go to <see cref="BuildLogRecorder.Write"/> directly and are never dropped.
/// </summary>
public sealed class BuildOutputLog(BuildLogRecorder log, long deploymentId, BuildLogLimits limits)
{
    private readonly Lock _lock = new();
    private long _lines;
    private long _bytes;
    private long _droppedLines;
    private long _droppedCharacters;
    private bool _completed;

    /// <summary>Lines not stored because a cap was reached.</summary>
    public long DroppedLines
    {
        get
        {
            lock (_lock)
            {
                return _droppedLines;
            }
        }
    }

    /// <summary>Receives git's output lines.</summary>
    public IProgress<string> Lines => new LineSink(this);

    /// <summary>Stores one line of output unless the build is over its caps.</summary>
    /// <param name="cutCharacters">Characters of the line already left out by the reader (its end).</param>
    public void Write(string text, bool isError = false, long cutCharacters = 0)
    {
        ArgumentNullException.ThrowIfNull(text);
        lock (_lock)
        {
            if (_lines >= limits.MaxLines || _bytes >= limits.MaxBytes)
            {
                Drop(text.Length + cutCharacters);
                return;
            }

            // Masked before the cut (a cut through a secret would show its start); the recorder's own masking then finds nothing.
            var shaped = LogLineShaper.Shape(log.Mask(deploymentId, text), SecretMasker.None, limits.MaxLineLength, cutCharacters);
            var bytes = Encoding.UTF8.GetByteCount(shaped) + 1;
            if (_bytes + bytes > limits.MaxBytes)
            {
                _bytes = limits.MaxBytes;
                Drop(text.Length + cutCharacters);
                return;
            }

            _lines++;
            _bytes += bytes;
            log.Write(deploymentId, shaped, isError);
        }
    }

    /// <summary>Ends the build's output: writes the one notice of what was dropped, if anything was. Later calls do nothing.</summary>
    public void Complete()
    {
        lock (_lock)
        {
            if (_completed)
            {
                return;
            }

            _completed = true;
            if (_droppedLines > 0)
            {
                log.Write(deploymentId, string.Create(CultureInfo.InvariantCulture,
                    $"{_droppedLines:N0} lines dropped ({_droppedCharacters:N0} characters): the build's output is capped at {limits.MaxLines:N0} lines and {limits.MaxBytes:N0} bytes (MiniPaas:Builder:MaxBuildLogLines, MiniPaas:Builder:MaxBuildLogBytes)."),
                    isError: false);
            }
        }
    }

    private void Drop(long characters)
    {
        _droppedLines++;
        _droppedCharacters += characters;
    }

    private sealed class LineSink(BuildOutputLog output) : IProgress<string>
    {
        public void Report(string value) => output.Write(value);
    }
}
