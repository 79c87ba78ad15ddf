using MiniPaas.Core.Logs;

namespace MiniPaas.Tests.Logs;

public sealed class BoundedLineAssemblerTests
{
    private readonly List<(string Text, long Cut)> _lines = [];

    [Fact]
    public void Append_LineLongerThanKeep_KeepsItsStartAndCountsTheRestAcrossPieces()
    {
        var assembler = new BoundedLineAssembler(8, (text, cut) => _lines.Add((text, cut)));

        assembler.Append("0123");
        assembler.Append("456789abc");
        for (var i = 0; i < 1000; i++)
        {
            assembler.Append("zzzzzzzzzz");
        }

        assembler.Append("\nshort\r\nend");
        assembler.Flush();

        Assert.Equal([("01234567", 2 + 3 + 10_000), ("short", 0), ("end", 0)], _lines);
    }

    [Fact]
    public void Append_CarriageReturnsWhenAsked_SplitsProgressRedrawsAndCountsCrLfOnce()
    {
        var assembler = new BoundedLineAssembler(100, (text, cut) => _lines.Add((text, cut)), splitOnCarriageReturn: true);

        assembler.Append("Receiving objects:  50%\rReceiving objects: 100%\r");
        assembler.Append("\ndone\n\nlast");
        assembler.Flush();
        assembler.Flush();

        Assert.Equal(["Receiving objects:  50%", "Receiving objects: 100%", "done", "", "last"], _lines.Select(l => l.Text));
    }
}
