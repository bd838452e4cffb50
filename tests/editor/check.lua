-- Neovim's built-in LSP client (0.7 or newer: start_client and buf_attach_client) against
-- `womlint server` (WOMLINT_BIN): opens the draft given on the command line, prints the
-- diagnostics it receives, one per line, then types a label at the start of the post and
-- prints them again. Exits non-zero when nothing arrives.
local bin = os.getenv("WOMLINT_BIN")
local buf = vim.api.nvim_get_current_buf()
vim.bo[buf].filetype = "markdown"

local function fail(message)
  io.stderr:write("editor check: " .. message .. "\n")
  vim.cmd("cquit 1")
end

local function print_diagnostics(label)
  io.stdout:write(label .. "\n")
  local found = vim.diagnostic.get(buf)
  table.sort(found, function(a, b)
    return a.lnum < b.lnum or (a.lnum == b.lnum and a.col < b.col)
  end)
  for _, d in ipairs(found) do
    local lsp = d.user_data and d.user_data.lsp or {}
    local code = d.code or lsp.code or "?"
    -- Lines and columns as Neovim has them: 1-based lines, 1-based byte columns.
    io.stdout:write(string.format("%d:%d-%d:%d %s %s %s\n", d.lnum + 1, d.col + 1, d.end_lnum + 1, d.end_col + 1,
      vim.diagnostic.severity[d.severity], code, d.source or lsp.source or "?"))
  end
end

local client = vim.lsp.start_client({ name = "womlint", cmd = { bin, "server" }, root_dir = vim.fn.getcwd() })
if not client then
  fail("the server did not start")
end
vim.lsp.buf_attach_client(buf, client)

if not vim.wait(30000, function() return #vim.diagnostic.get(buf) > 0 end, 50) then
  fail("no diagnostics within 30 s")
end
print_diagnostics("opened:")

-- Typing a label at the very start of the post (line 4) sends an incremental change.
vim.api.nvim_buf_set_text(buf, 3, 0, 3, 0, { "#ad " })
local cleared = vim.wait(30000, function()
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    if d.severity == vim.diagnostic.severity.ERROR then
      return false
    end
  end
  return true
end, 50)
if not cleared then
  fail("the finding stayed after the label was typed")
end
print_diagnostics("after typing #ad:")
vim.cmd("qall!")
