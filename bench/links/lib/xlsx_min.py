import zipfile, xml.etree.ElementTree as ET, re, sys
NS={'m':'http://schemas.openxmlformats.org/spreadsheetml/2006/main'}
def col_index(ref):
    letters=re.match(r'[A-Z]+',ref).group(0); n=0
    for ch in letters: n=n*26+(ord(ch)-64)
    return n-1
def read_xlsx(path_or_file, sheet=1):
    z=zipfile.ZipFile(path_or_file)
    ss=[]
    if 'xl/sharedStrings.xml' in z.namelist():
        root=ET.fromstring(z.read('xl/sharedStrings.xml'))
        for si in root.findall('m:si',NS):
            ss.append(''.join(t.text or '' for t in si.iter('{%s}t'%NS['m'])))
    root=ET.fromstring(z.read('xl/worksheets/sheet%d.xml'%sheet))
    rows=[]
    for r in root.iter('{%s}row'%NS['m']):
        row={}
        for c in r.findall('m:c',NS):
            t=c.get('t'); v=c.find('m:v',NS); f=c.find('m:f',NS); val=None
            link=re.match(r'HYPERLINK\("[^"]*",\s*"([^"]*)"\)$',f.text or '') if f is not None else None
            if link: val=link.group(1)  # a cell written as a link keeps its text in the formula
            elif t=='s' and v is not None: val=ss[int(v.text)]
            elif t=='inlineStr':
                val=''.join(x.text or '' for x in c.iter('{%s}t'%NS['m']))
            elif v is not None: val=v.text
            row[col_index(c.get('r'))]=val
        if row:
            mx=max(row); rows.append([row.get(i) for i in range(mx+1)])
    return rows
if __name__=='__main__':
    rows=read_xlsx(sys.argv[1])
    for r in rows[:int(sys.argv[2]) if len(sys.argv)>2 else 5]: print(r)
    print(len(rows))
