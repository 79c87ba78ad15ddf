using System.Text;
using Docker.DotNet.Models;

namespace MiniPaas.Tests.Shared;

/// <summary>
/// Collects what the engine reports during an image build or import. Synchronous (not <see cref="Progress{T}"/>): output
/// arrives in order, and an error the engine reports only ever arrives here, never as an exception.
/// </summary>
internal sealed class EngineProgress : IProgress<JSONMessage>
{
    private readonly StringBuilder _output = new();

    public string? Error { get; private set; }

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public void Report(JSONMessage value)
    {
        lock (_output)
        {
            _output.Append(value.Stream ?? value.Status);
            if (value.Error?.Message is { Length: > 0 } message)
            {
                Error = message;
            }
            else if (!string.IsNullOrEmpty(value.ErrorMessage))
            {
                Error = value.ErrorMessage;
            }
        }
    }
}
