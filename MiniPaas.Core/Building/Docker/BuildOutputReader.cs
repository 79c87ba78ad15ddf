using System.Text;
using MiniPaas.Core.Logs;

namespace MiniPaas.Core.Building.Docker;

/// <summary>
/// Turns the engine's build messages into ordered, bounded lines and remembers what a failure explanation needs. Nothing it
/// holds grows with the output: a line keeps its first <c>maxLineLength</c> characters (plus a masking margin) and counts the rest.
/// </summary>
internal sealed class BuildOutputReader : ITextSink
{
    // Masking happens after the cut, on the kept text: keep a margin so a secret straddling the visible cut is still masked whole.
    private const int MaskingMargin = 256;

    // Parts of the failure reason: enough to recognise the step and the error, short enough for a status line.
    private const int MaxReasonStep = 500;
    private const int MaxReasonError = 2_000;
    private const int MaxReasonOutput = 500;

    private readonly IProgress<BuildOutputLine> _output;
    private readonly int _maxLineLength;
    private readonly BoundedLineAssembler _lines;
    private string? _lastStep;
    private string? _lastOutput;

    public BuildOutputReader(IProgress<BuildOutputLine> output, int maxLineLength)
    {
        _output = output;
        _maxLineLength = maxLineLength;
        _lines = new BoundedLineAssembler(maxLineLength + MaskingMargin, (line, cut) => Emit(line, cut, isError: false));
    }

    public string? Error { get; private set; }

    /// <summary>The built image's ID, from the engine's last message (<c>aux.ID</c>); null until the build succeeded.</summary>
    public string? ImageId { get; set; }

    /// <summary>Text of <c>stream</c> messages; chunks are not line aligned.</summary>
    public void Write(ReadOnlySpan<char> text) => _lines.Append(text);

    /// <summary>A <c>status</c> message: pull progress of a missing base image (its per-layer progress bars are noise in a log).</summary>
    public void AddStatus(string status, string? id) =>
        EmitBounded(string.IsNullOrEmpty(id) ? status : $"{id}: {status}", isError: false);

    public void AddError(string message)
    {
        if (string.IsNullOrWhiteSpace(message))
        {
            return;
        }

        Flush();
        var error = Clip(message.Trim(), _maxLineLength);
        Error ??= error;
        EmitBounded(error, isError: true);
    }

    /// <summary>A line MiniPaas adds about the output itself (e.g. an engine message it could not read).</summary>
    public void AddNote(string note) => EmitBounded(note, isError: false);

    public void Flush() => _lines.Flush();

    public string DescribeFailure()
    {
        var failure = Clip(Error ?? "The build failed.", MaxReasonError);
        var builder = new StringBuilder();
        if (_lastStep is not null)
        {
            // "Step 3/6 : RUN npm ci" → "Step 3/6 `RUN npm ci` failed: …"
            var separator = _lastStep.IndexOf(" : ", StringComparison.Ordinal);
            builder.Append(separator > 0
                ? $"{_lastStep[..separator]} `{Clip(_lastStep[(separator + 3)..].Trim(), MaxReasonStep)}` failed: "
                : $"{Clip(_lastStep, MaxReasonStep)} failed: ");
        }

        builder.Append(failure);
        if (_lastOutput is not null && !failure.Contains(_lastOutput, StringComparison.Ordinal))
        {
            builder.Append(" Last output: ").Append(Clip(_lastOutput, MaxReasonOutput));
        }

        return builder.ToString();
    }

    private static string Clip(string text, int length) => text.Length <= length ? text : string.Concat(text.AsSpan(0, length), "…");

    private void EmitBounded(string line, bool isError)
    {
        var keep = _maxLineLength + MaskingMargin;
        if (line.Length <= keep)
        {
            Emit(line, 0, isError);
        }
        else
        {
            Emit(line[..keep], line.Length - keep, isError);
        }
    }

    private void Emit(string line, long cut, bool isError)
    {
        _output.Report(new BuildOutputLine(line, isError, cut));
        if (isError)
        {
            return;
        }

        var trimmed = line.Trim();
        if (trimmed.StartsWith("Step ", StringComparison.Ordinal) && trimmed.Contains(" : ", StringComparison.Ordinal))
        {
            _lastStep = trimmed;
            _lastOutput = null;
        }
        else if (trimmed.Length > 0
            && !trimmed.StartsWith("--->", StringComparison.Ordinal)
            && !trimmed.StartsWith("Removing intermediate container", StringComparison.Ordinal)
            && !trimmed.StartsWith("Sending build context", StringComparison.Ordinal))
        {
            _lastOutput = trimmed;
        }
    }
}
