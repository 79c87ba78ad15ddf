using System.Text;
using Docker.DotNet;

namespace MiniPaas.Core.Deploying.Docker;

/// <summary>Splits a finished (non-follow) multiplexed log stream into lines, stdout and stderr each decoded on its own.</summary>
internal static class DockerLogLines
{
    public static async Task<List<string>> ReadAsync(MultiplexedStream stream, CancellationToken ct)
    {
        var lines = new List<string>();
        // Frames may hold several or partial lines, and stdout/stderr interleave: one pending buffer per stream.
        var pending = new Dictionary<MultiplexedStream.TargetStream, StringBuilder>();
        var decoders = new Dictionary<MultiplexedStream.TargetStream, Decoder>();
        var buffer = new byte[16 * 1024];
        var chars = new char[Encoding.UTF8.GetMaxCharCount(buffer.Length)];
        while (true)
        {
            var read = await stream.ReadOutputAsync(buffer, 0, buffer.Length, ct).ConfigureAwait(false);
            if (read.EOF)
            {
                break;
            }

            if (!pending.TryGetValue(read.Target, out var line))
            {
                line = pending[read.Target] = new StringBuilder();
                decoders[read.Target] = Encoding.UTF8.GetDecoder();
            }

            var count = decoders[read.Target].GetChars(buffer, 0, read.Count, chars, 0);
            for (var i = 0; i < count; i++)
            {
                if (chars[i] == '\n')
                {
                    lines.Add(TrimCarriageReturn(line));
                    line.Clear();
                }
                else
                {
                    line.Append(chars[i]);
                }
            }
        }

        foreach (var rest in pending.Values.Where(b => b.Length > 0))
        {
            lines.Add(TrimCarriageReturn(rest));
        }

        return lines;
    }

    private static string TrimCarriageReturn(StringBuilder line) =>
        line.Length > 0 && line[^1] == '\r' ? line.ToString(0, line.Length - 1) : line.ToString();
}
