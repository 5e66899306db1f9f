using Verity.Quality;

namespace Verity.Tests.Quality;

public class CsvReaderTests
{
    [Fact]
    public void quoted_fields_keep_commas_doubled_quotes_and_line_breaks_and_lines_stay_counted()
    {
        var csv = CsvReader.FromText("t.csv", "a,b\r\n\"x, y\",\"say \"\"hi\"\"\"\r\n\"two\nlines\",z\n\nlast,\n");

        csv.Read().ShouldBeTrue();
        csv.Line.ShouldBe(1);
        csv.Read().ShouldBeTrue();
        csv[0].ToString().ShouldBe("x, y");
        csv[1].ToString().ShouldBe("say \"hi\"");
        csv.Line.ShouldBe(2);
        csv.Read().ShouldBeTrue();
        csv[0].ToString().ShouldBe("two\nlines");
        csv[1].ToString().ShouldBe("z");
        csv.Line.ShouldBe(3);
        csv.Read().ShouldBeTrue();
        csv.Line.ShouldBe(6);
        csv.FieldCount.ShouldBe(2);
        csv[1].IsEmpty.ShouldBeTrue();
        csv.Read().ShouldBeFalse();
    }

    [Fact]
    public void header_columns_are_found_by_name_in_any_order()
    {
        var csv = CsvReader.FromText("t.csv", "Label, extra ,ITEM,worker\n");

        csv.ReadHeader("item", "worker", "label").ShouldBe([2, 3, 0]);
    }

    [Fact]
    public void text_after_a_closing_quote_is_an_error_on_its_line()
    {
        var csv = CsvReader.FromText("t.csv", "a,b\n\"x\"y,z\n");
        csv.Read();

        var error = Should.Throw<InputException>(() => csv.Read());

        error.Report.ShouldBe("verity: t.csv:2: unexpected character after a closing quote");
    }
}
