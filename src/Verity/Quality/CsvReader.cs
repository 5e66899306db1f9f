using System.Buffers;

namespace Verity.Quality;

/// <summary>
/// A small RFC 4180 reader over a whole file held in memory: fields are handed out as spans, so
/// reading a million lines allocates almost nothing per line. Quoted fields may hold commas,
/// doubled quotes and line breaks; blank lines are skipped; line numbers are tracked for errors.
/// </summary>
public sealed class CsvReader
{
    private static readonly SearchValues<char> FieldEnd = SearchValues.Create(",\r\n");

    private readonly string _text;
    private int _position;
    private int _nextLine = 1;
    private int[] _starts = new int[8];
    private int[] _lengths = new int[8];
    private bool[] _unescaped = new bool[8];
    private char[] _scratch = new char[256];
    private int _scratchUsed;

    private CsvReader(string file, string text)
    {
        File = file;
        _text = text;
    }

    /// <summary>The file being read, as given.</summary>
    public string File { get; }

    /// <summary>Line on which the current record starts (1-based).</summary>
    public int Line { get; private set; }

    /// <summary>Number of fields in the current record.</summary>
    public int FieldCount { get; private set; }

    /// <summary>A field of the current record.</summary>
    public ReadOnlySpan<char> this[int index] => _unescaped[index]
        ? _scratch.AsSpan(_starts[index], _lengths[index])
        : _text.AsSpan(_starts[index], _lengths[index]);

    /// <summary>Opens a file, reporting a missing file as bad input.</summary>
    public static CsvReader Open(string path)
    {
        try
        {
            return new CsvReader(path, System.IO.File.ReadAllText(path));
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or UnauthorizedAccessException)
        {
            throw new InputException(path, 0, "cannot read the file: " + e.Message);
        }
    }

    /// <summary>Reads from text already in memory (used by tests).</summary>
    public static CsvReader FromText(string file, string text) => new(file, text);

    /// <summary>An error on the current line.</summary>
    public InputException Error(string message) => new(File, Line, message);

    /// <summary>
    /// Reads the header and returns the position of each required column (matched by name,
    /// ignoring case and surrounding spaces; other columns are ignored).
    /// </summary>
    public int[] ReadHeader(params string[] required)
    {
        var expected = string.Join(',', required);
        if (!Read())
            throw new InputException(File, 1, $"empty file, expected a header {expected}");
        var columns = new int[required.Length];
        for (var c = 0; c < required.Length; c++)
        {
            columns[c] = -1;
            for (var f = 0; f < FieldCount && columns[c] < 0; f++)
            {
                if (this[f].Trim().Equals(required[c], StringComparison.OrdinalIgnoreCase))
                    columns[c] = f;
            }

            if (columns[c] < 0)
                throw Error($"missing column '{required[c]}' in the header, expected {expected}");
        }

        return columns;
    }

    /// <summary>Checks the current record is long enough for every wanted column.</summary>
    public void RequireColumns(int[] columns)
    {
        var needed = columns.Max() + 1;
        if (FieldCount < needed)
            throw Error($"expected {needed} columns, found {FieldCount}");
    }

    /// <summary>A required field that must not be empty.</summary>
    public ReadOnlySpan<char> Required(int column, string name)
    {
        var field = this[column];
        if (field.IsWhiteSpace())
            throw Error($"empty {name}");
        return field;
    }

    /// <summary>Moves to the next record; false at the end of the file.</summary>
    public bool Read()
    {
        while (_position < _text.Length && _text[_position] is '\r' or '\n')
        {
            if (_text[_position] == '\n')
                _nextLine++;
            _position++;
        }

        if (_position >= _text.Length)
            return false;

        Line = _nextLine;
        FieldCount = 0;
        _scratchUsed = 0;
        while (true)
        {
            if (_text[_position] == '"')
                ReadQuoted();
            else
                ReadPlain();

            if (_position < _text.Length && _text[_position] == ',')
            {
                _position++;
                if (_position == _text.Length)
                    Add(_position, 0, unescaped: false);
                else
                    continue;
            }

            break;
        }

        if (_position < _text.Length && _text[_position] == '\r')
            _position++;
        if (_position < _text.Length && _text[_position] == '\n')
        {
            _position++;
            _nextLine++;
        }

        return true;
    }

    private void ReadPlain()
    {
        var end = _text.AsSpan(_position).IndexOfAny(FieldEnd);
        var length = end < 0 ? _text.Length - _position : end;
        Add(_position, length, unescaped: false);
        _position += length;
    }

    private void ReadQuoted()
    {
        var start = _position + 1;
        var scan = start;
        var escaped = false;
        int close;
        while (true)
        {
            close = _text.IndexOf('"', scan);
            if (close < 0)
                throw Error("unterminated quoted field");
            if (close + 1 < _text.Length && _text[close + 1] == '"')
            {
                escaped = true;
                scan = close + 2;
                continue;
            }

            break;
        }

        var content = _text.AsSpan(start, close - start);
        _nextLine += content.Count('\n');
        _position = close + 1;
        if (_position < _text.Length && _text[_position] is not (',' or '\r' or '\n'))
            throw Error("unexpected character after a closing quote");

        if (!escaped)
        {
            Add(start, content.Length, unescaped: false);
            return;
        }

        if (_scratch.Length < _scratchUsed + content.Length)
            Array.Resize(ref _scratch, Math.Max(_scratch.Length * 2, _scratchUsed + content.Length));
        var at = _scratchUsed;
        for (var j = 0; j < content.Length; j++)
        {
            _scratch[at++] = content[j];
            if (content[j] == '"')
                j++;
        }

        Add(_scratchUsed, at - _scratchUsed, unescaped: true);
        _scratchUsed = at;
    }

    private void Add(int start, int length, bool unescaped)
    {
        if (FieldCount == _starts.Length)
        {
            Array.Resize(ref _starts, FieldCount * 2);
            Array.Resize(ref _lengths, FieldCount * 2);
            Array.Resize(ref _unescaped, FieldCount * 2);
        }

        _starts[FieldCount] = start;
        _lengths[FieldCount] = length;
        _unescaped[FieldCount] = unescaped;
        FieldCount++;
    }
}
