<?php
// Writes a database's tables as phpMyAdmin 5.2's JSON export lays them out (its ExportJson
// plugin): a header item, a database item, then one item per table whose "data" holds the rows,
// each row encoded by PHP's own json_encode from what mysqli returns (strings, null for NULL).
// Usage: php pma-export.php HOST PORT USER PASSWORD DB pretty|compact escaped|unicode TABLE...
[, $host, $port, $user, $password, $db, $layout, $chars] = $argv;
$tables = array_slice($argv, 8);
$flags = ($layout === 'pretty' ? JSON_PRETTY_PRINT : 0) | ($chars === 'unicode' ? JSON_UNESCAPED_UNICODE : 0);
$encode = fn ($v) => json_encode($v, $flags);
$link = new mysqli($host, $user, $password, $db, (int) $port);
$link->set_charset('utf8mb4');
echo "[\n", $encode(['type' => 'header', 'version' => '5.2.1', 'comment' => 'Export to JSON plugin for PHPMyAdmin']), ",\n";
echo $encode(['type' => 'database', 'name' => $db]), ",\n";
foreach ($tables as $k => $table) {
    if ($k > 0) echo ',';
    [$head, $tail] = explode('"@@DATA@@"', $encode(['type' => 'table', 'name' => $table, 'database' => $db, 'data' => '@@DATA@@']));
    echo $head, "\n[\n";
    $result = $link->query("SELECT * FROM `$table`", MYSQLI_USE_RESULT);
    $fields = array_map(fn ($f) => $f->name, $result->fetch_fields());
    $n = 0;
    while ($row = $result->fetch_row()) {
        if ($n++ > 0) echo ",\n";
        echo $encode(array_combine($fields, $row));
    }
    $result->close();
    echo "\n]\n", $tail, "\n";
}
echo "]\n";
